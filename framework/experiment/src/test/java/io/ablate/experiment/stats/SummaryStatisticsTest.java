package io.ablate.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.experiment.report.Summary;
import io.ablate.experiment.report.VariantStats;
import io.ablate.experiment.report.Verdict;
import io.ablate.experiment.run.RunRecord;
import io.ablate.tracking.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The summary's paired statistics, Holm correction, failed-run accounting and verdicts against
 * {@code reference/paired_stats.json}, computed by SciPy ({@code ttest_rel}, {@code t.ppf}) and
 * statsmodels ({@code multipletests(method="holm")}) in {@code scripts/make_summary_fixtures.py}.
 */
class SummaryStatisticsTest {
  static JsonNode reference;

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in = SummaryStatisticsTest.class.getResourceAsStream("/reference/paired_stats.json")) {
      reference = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void everyCaseMatchesScipyAndStatsmodels() {
    int checked = 0;
    for (JsonNode c : reference.get("cases")) {
      String metric = c.get("metric").asText();
      List<String> variants = new ArrayList<>();
      c.get("variants").forEach(v -> variants.add(v.asText()));
      Summary s = Summary.of("case", variants, c.get("baseline").asText(), List.of(metric), records(c, metric));
      String name = c.get("name").asText();
      assertEquals(metric, s.primary(), name);
      for (String v : variants) {
        JsonNode x = c.get("expected").get(v);
        VariantStats got = s.get(v, metric);
        String where = name + " / " + v;
        assertEquals(x.get("n").asInt(), got.n(), where + " n");
        assertEquals(x.get("failed").asInt(), got.failed(), where + " failed");
        close(x.get("mean"), got.mean(), where + " mean");
        close(x.get("std"), got.std(), where + " std");
        close(x.get("ci95"), got.ci95(), where + " ci95");
        assertEquals(x.get("pairs").asInt(), got.pairs(), where + " pairs");
        close(x.get("diff"), got.diff(), where + " diff");
        close(x.get("diff_ci95"), got.diffCi95(), where + " diff ci95");
        close(x.get("p_value"), got.pValue(), where + " paired p");
        close(x.get("p_adjusted"), got.pAdjusted(), where + " Holm p");
        close(x.get("effect_size"), got.effectSize(), where + " d_z");
        assertEquals(x.get("winner").asBoolean(), got.winner(), where + " winner");
        checked++;
      }
      JsonNode xv = c.get("verdict");
      Verdict verdict = s.verdict(metric);
      assertEquals(xv.get("best").asText(), verdict.best(), name);
      assertEquals(xv.get("runner_up").asText(), verdict.runnerUp(), name);
      assertEquals(xv.get("pairs").asInt(), verdict.comparison().n(), name);
      close(xv.get("diff"), verdict.comparison().meanDiff(), name + " best − runner-up");
      close(xv.get("p_adjusted"), verdict.pAdjusted(), name + " best vs runner-up Holm p");
      assertEquals(xv.get("winner").isNull() ? null : xv.get("winner").asText(), verdict.winner(), name);
      assertEquals("holm", s.correction());
      assertEquals("paired-t", s.test());
    }
    assertEquals(4 + 4 + 3, checked);
  }

  @Test
  void holmMatchesStatsmodels() {
    double[] p = toArray(reference.get("holm").get("p"));
    assertArrayEquals(toArray(reference.get("holm").get("adjusted")), HolmCorrection.adjust(p), 1e-12);
    double[] withNaN = HolmCorrection.adjust(new double[] {Double.NaN, 0.02, 0.04});
    assertTrue(Double.isNaN(withNaN[0]), "a comparison without a test is not in the family");
    assertEquals(0.04, withNaN[1], 1e-12);
    assertEquals(0.04, withNaN[2], 1e-12);
  }

  @Test
  void noPValueBelowThreePairsAndDegenerateDifferencesAreExplicit() {
    PairedComparison two = PairedComparison.of(new double[] {1, 2}, new double[] {0, 0.5});
    assertEquals(2, two.n());
    assertTrue(Double.isNaN(two.pValue()), "two seeds: no test");
    assertFalse(Double.isNaN(two.ci95()));
    PairedComparison same = PairedComparison.of(new double[] {1, 2, 3}, new double[] {1, 2, 3});
    assertEquals(1.0, same.pValue());
    assertEquals(0.0, same.effectSize());
    PairedComparison shifted = PairedComparison.of(new double[] {2, 3, 4}, new double[] {1, 2, 3});
    assertEquals(0.0, shifted.pValue(), "the same non-zero difference in every seed");
    assertEquals(Double.POSITIVE_INFINITY, shifted.effectSize());
    assertTrue(Double.isNaN(PairedComparison.of(new double[0], new double[0]).meanDiff()));
  }

  @Test
  void aStudyWithTwoSeedsHasNoWinnerAndSaysWhy() {
    JsonNode c = reference.get("cases").get(2);
    List<RunRecord> records = records(c, "accuracy").stream().filter(r -> r.seed() <= 2).toList();
    Summary s = Summary.of("case", List.of("base", "good", "better"), "base", List.of("accuracy"), records);
    assertNull(s.verdict("accuracy").winner());
    assertEquals("better", s.verdict("accuracy").best());
    assertTrue(s.stats().stream().noneMatch(VariantStats::winner));
    String md = io.ablate.experiment.report.SummaryWriter.markdown(s);
    assertTrue(md.contains("too few seeds for a test: 2 paired, need 3)"), md);
  }

  @Test
  void pendingRunsAreLeftOutButFailedOnesCount() {
    JsonNode c = reference.get("cases").get(0);
    List<RunRecord> records = new ArrayList<>(records(c, "exact_match"));
    records.add(record("b", 7, RunRecord.RUNNING, Map.of()));
    Summary s = Summary.of("case", List.of("base", "a", "b", "c"), "base", List.of("exact_match"), records);
    assertEquals(6, s.get("b", "exact_match").n(), "the running seed is not counted");
    assertEquals(1, s.get("b", "exact_match").failed());
    assertEquals(1, s.failures("b"));
    assertEquals(1, s.failed().size());
  }

  static List<RunRecord> records(JsonNode c, String metric) {
    List<RunRecord> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> vs = c.get("runs").fields(); vs.hasNext(); ) {
      Map.Entry<String, JsonNode> v = vs.next();
      for (Iterator<Map.Entry<String, JsonNode>> seeds = v.getValue().fields(); seeds.hasNext(); ) {
        Map.Entry<String, JsonNode> seed = seeds.next();
        long n = Long.parseLong(seed.getKey());
        out.add(seed.getValue().isTextual() ? record(v.getKey(), n, RunRecord.FAILED, Map.of())
            : record(v.getKey(), n, RunRecord.FINISHED, Map.of(metric, seed.getValue().asDouble())));
      }
    }
    return out;
  }

  static RunRecord record(String variant, long seed, RunStatus status, Map<String, Double> metrics) {
    boolean failed = status == RunStatus.FAILED;
    return new RunRecord("case", variant + "--seed-" + seed, variant, Map.of(), seed, "h", "dev", null, null, Map.of(),
        Map.of(),
        status, failed ? "diverged: loss 1e9 at step 3" : null, failed ? 3L : null, 1000, 6000, "cpu", 1, 1, 10,
        metrics, "", "");
  }

  private static void close(JsonNode expected, double actual, String where) {
    if (expected == null || expected.isNull()) {
      assertTrue(Double.isNaN(actual), where + ": expected none, got " + actual);
    } else {
      assertEquals(expected.asDouble(), actual, 1e-9 * Math.max(1, Math.abs(expected.asDouble())), where);
    }
  }

  private static double[] toArray(JsonNode node) {
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asDouble();
    }
    return out;
  }
}
