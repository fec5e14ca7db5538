package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.Summary;
import io.ablate.experiment.report.SummaryWriter;
import io.ablate.experiment.spec.ConfigPaths;
import io.ablate.experiment.spec.SpecException;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.spec.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tune:} (a learning-rate sweep per variant, chosen on validation) and {@code match: params}. */
class FairAblationTest {
  private static final Registry REGISTRY = Wiring.builtins();

  private static final String SPEC = """
      study: fair
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 6, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 12, batch: 8, lr: 3e-3, eval_every: 6}
      ablate:
        grid:
          model.ffn.type: [gelu, swiglu]
      baseline: {model.ffn.type: gelu}
      seeds: [1, 2, 3]
      metrics: [exact_match, loss]
      """;

  @TempDir
  Path dir;

  private StudySpec spec(String yaml) throws IOException {
    Path file = dir.resolve("study.yaml");
    Files.writeString(file, yaml);
    return SpecLoader.load(file, List.of());
  }

  @Test
  void eachVariantRunsOncePerTunedValueAndTheBaselineStaysADesignVariant() throws IOException {
    StudyPlan plan = StudyPlan.of(spec(SPEC + "tune: {lr: [1e-3, 1e-2]}\n"), dir);
    assertEquals(List.of("ffn=gelu [lr=0.001]", "ffn=gelu [lr=0.01]", "ffn=swiglu [lr=0.001]", "ffn=swiglu [lr=0.01]"),
        plan.variants().stream().map(Variant::name).toList());
    assertEquals("ffn=gelu", plan.baseline().name());
    assertEquals(0.01, ConfigPaths.get(plan.variants().get(3).config(), "train.lr"));
    assertEquals(4 * 3, plan.runs().size());
    StudyValidator.validate(plan.spec(), plan.variants(), REGISTRY);
  }

  @Test
  void aTunedStudyTrainsEveryTrialAndReportsOneRowPerVariant() throws IOException {
    StudyPlan plan = StudyPlan.of(spec(SPEC.replace("seeds: [1, 2, 3]", "seeds: [1]")
        + "tune: {lr: [1e-4, 3e-3]}\nmatch: params\n"), dir);
    plan = ParameterMatching.apply(plan, REGISTRY);
    io.ablate.experiment.report.StudyInfo.write(plan);
    List<StudyRunner.Outcome> outcomes = new StudyRunner(REGISTRY, 2).run(plan, RunListener.NONE);
    assertTrue(outcomes.stream().allMatch(o -> o.record().finished()), "four trials trained");
    Summary s = io.ablate.experiment.report.StudyResults.load(plan.dir()).summary();
    assertEquals(List.of("ffn=gelu", "ffn=swiglu"), s.variants());
    assertEquals("val/exact_match", s.tuning().selectedOn());
    assertEquals(2, s.tuning().chosen().size());
    assertEquals(1, s.get("ffn=swiglu", "exact_match").n());
    long gelu = s.costs().get("ffn=gelu").parameters();
    assertTrue(Math.abs(s.costs().get("ffn=swiglu").parameters() - gelu) <= 3 * 16 + 1, "matched: " + s.costs());
  }

  @Test
  void theTrialWithTheBestValidationScoreStandsForItsVariantWhateverTheTestSays() {
    // gelu: lr=0.001 is better on validation but worse on test; the test metric must not decide
    List<RunRecord> records = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      records.add(record("ffn=gelu [lr=0.001]", seed, 0.80 + 0.01 * seed, 0.50));
      records.add(record("ffn=gelu [lr=0.01]", seed, 0.60 + 0.01 * seed, 0.90));
      records.add(record("ffn=swiglu [lr=0.001]", seed, 0.40, 0.40 + 0.01 * seed));
      records.add(failed("ffn=swiglu [lr=0.01]", seed));
    }
    Summary s = Summary.of("fair", List.of("ffn=gelu [lr=0.001]", "ffn=gelu [lr=0.01]", "ffn=swiglu [lr=0.001]",
        "ffn=swiglu [lr=0.01]"), "ffn=gelu", List.of("exact_match"), records);
    assertEquals(List.of("ffn=gelu", "ffn=swiglu"), s.variants());
    assertEquals("val/exact_match", s.tuning().selectedOn());
    assertEquals(Map.of("ffn=gelu", "lr=0.001", "ffn=swiglu", "lr=0.001"), s.tuning().chosen());
    assertEquals(0.50, s.get("ffn=gelu", "exact_match").mean(), 1e-12, "the chosen trial's test score is reported");
    assertEquals(3, s.get("ffn=swiglu", "exact_match").n());
    assertEquals(0, s.get("ffn=swiglu", "exact_match").failed(), "the failed trial lost the selection; not counted");
    assertEquals(4, s.tuning().trials().size());
    String md = SummaryWriter.markdown(s);
    assertTrue(md.contains("| ffn=gelu [lr=0.001] (baseline) |"), md);
    assertTrue(md.contains("the validation split; the table shows test metrics"), md);
  }

  @Test
  void tiedValidationScoresAreBrokenByValidationLoss() {
    List<RunRecord> records = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      records.add(withLoss(record("base [lr=0.001]", seed, 0.0, 0.1), 2.0));
      records.add(withLoss(record("base [lr=0.01]", seed, 0.0, 0.2), 1.5));
    }
    Summary s = Summary.of("fair", List.of("base [lr=0.001]", "base [lr=0.01]"), "base", List.of("exact_match"),
        records);
    assertEquals(Map.of("base", "lr=0.01"), s.tuning().chosen());
  }

  private static RunRecord withLoss(RunRecord r, double validationLoss) {
    Map<String, Double> metrics = new java.util.HashMap<>(r.metrics());
    metrics.put("val/loss", validationLoss);
    return new RunRecord(r.study(), r.run(), r.variant(), r.factors(), r.seed(), r.hash(), r.codeVersion(),
        r.gitCommit(), r.gitDirty(), r.pluginVersions(), r.config(), r.status(), r.failure(), r.failedStep(), r.parameters(), r.flopsPerToken(),
        r.backend(), r.wallSeconds(), r.tokensPerSecond(), r.steps(), metrics, r.started(), r.ended());
  }

  @Test
  void matchParamsBringsEveryVariantToTheBaselinesParameterCount() throws IOException {
    StudyPlan plan = ParameterMatching.apply(StudyPlan.of(spec(SPEC + "match: params\n"), dir), REGISTRY);
    Map<String, VariantCost> sizes = VariantSizes.of(plan, REGISTRY);
    long baseline = sizes.get("ffn=gelu").parameters();
    long swiglu = sizes.get("ffn=swiglu").parameters();
    // swiglu has three ffn matrices to gelu's two: its width shrinks to about 2/3
    int hidden = ((Number) ConfigPaths.get(plan.variants().get(1).config(), "model.ffn.hidden")).intValue();
    assertTrue(hidden >= 20 && hidden <= 23, "swiglu width " + hidden);
    assertTrue(Math.abs(swiglu - baseline) <= 3 * 16 + 1, baseline + " vs " + swiglu + " (one width step apart at most)");
    assertEquals(32, ConfigPaths.get(plan.baseline().config(), "model.ffn.hidden"));
    assertTrue(sizes.get("ffn=swiglu").flopsPerToken() > 0);
  }

  @Test
  void badTuneAndMatchSectionsAreLocated() throws IOException {
    SpecException e = assertThrows(SpecException.class, () -> spec(SPEC + "tune: {lrr: [1e-3]}\n"));
    assertTrue(e.getMessage().contains("study.yaml:13:8: tune.lrr: unknown key 'lrr' — did you mean 'lr'?"),
        e.getMessage());
    e = assertThrows(SpecException.class, () -> spec(SPEC + "tune: {lr: [1e-3, fast]}\n"));
    assertTrue(e.getMessage().contains("study.yaml:13:") && e.getMessage().contains("expected non-negative numbers, "
        + "got fast"), e.getMessage());
    e = assertThrows(SpecException.class, () -> spec(SPEC + "match: parms\n"));
    assertTrue(e.getMessage().contains("study.yaml:13:") && e.getMessage().contains("did you mean 'params'?"),
        e.getMessage());
  }

  private static RunRecord record(String variant, long seed, double validation, double test) {
    return new RunRecord("fair", variant + "--seed-" + seed, variant, Map.of(), seed, "h", "dev", null, null, Map.of(),
        Map.of(),
        RunRecord.FINISHED, null, null, 100, 600, "cpu", 1, 1, 12,
        Map.of("exact_match", test, "val/exact_match", validation), "", "");
  }

  private static RunRecord failed(String variant, long seed) {
    return new RunRecord("fair", variant + "--seed-" + seed, variant, Map.of(), seed, "h", "dev", null, null, Map.of(),
        Map.of(),
        RunRecord.FAILED, "diverged", 3L, 100, 600, "cpu", 1, 1, 3, Map.of(), "", "");
  }
}
