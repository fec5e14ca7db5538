package io.ablate.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results folder written by hand with the production run writers (2 variants × 3 finished seeds,
 * one failed run, one never started), reported from the folder alone.
 */
class ReportWriterTest {
  @TempDir
  static Path root;

  static StudyFixture fixture;
  static ReportWriter.Report report;
  static String html;

  @BeforeAll
  static void writeReport() throws IOException {
    fixture = StudyFixture.write(root, true);
    report = ReportWriter.write(fixture.dir);
    html = Files.readString(fixture.dir.resolve("report.html"));
  }

  @Test
  void summaryStatisticsMatchTheIndependentReference() {
    JsonNode expected = fixture.reference.get("expected");
    double t2 = fixture.reference.get("t_quantile_975_df2").asDouble();
    assertEquals(4.303, t2, 5e-4);
    Summary s = report.summary();
    assertEquals(fixture.variants, s.variants());
    assertEquals(fixture.baseline, s.baseline());
    assertEquals("exact_match", s.primary());
    int checked = 0;
    for (String variant : fixture.variants) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.get(variant).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        VariantStats v = s.get(variant, e.getKey());
        JsonNode x = e.getValue();
        String where = variant + " " + e.getKey();
        int n = x.get("n").asInt();
        assertEquals(n, v.n(), where);
        assertEquals(x.get("failed").asInt(), v.failed(), where + " failed runs counted");
        assertEquals(x.get("mean").asDouble(), v.mean(), 1e-12, where + " mean");
        assertEquals(x.get("std").asDouble(), v.std(), 1e-12, where + " std");
        assertEquals(x.get("ci95").asDouble(), v.ci95(), 1e-9 * v.ci95(), where + " ci");
        assertEquals(x.get("pairs").asInt(), v.pairs(), where + " pairs");
        assertEquals(x.get("diff").asDouble(), v.diff(), 1e-12, where + " diff");
        if (x.get("p_value").isNull()) {
          assertTrue(Double.isNaN(v.pValue()), where + " p of the baseline");
        } else {
          // the paired CI uses t(2) = 4.3027 with three pairs
          assertEquals(x.get("diff_ci95").asDouble(), v.diffCi95(), 1e-9, where + " paired ci");
          double sd = Math.abs(v.diff() / v.effectSize());
          assertEquals(t2 * sd / Math.sqrt(3), v.diffCi95(), 1e-9, where + " paired ci = t(2)·sd/√3");
          assertEquals(x.get("p_value").asDouble(), v.pValue(), 1e-9, where + " paired p");
          assertEquals(x.get("p_adjusted").asDouble(), v.pAdjusted(), 1e-9, where + " Holm p");
          assertEquals(x.get("effect_size").asDouble(), v.effectSize(), 1e-9, where + " d_z");
        }
        assertEquals(x.get("winner").asBoolean(), v.winner(), where + " winner");
        checked++;
      }
    }
    assertEquals(2 * 8, checked, "every metric of the reference was compared");
    assertEquals(1, s.failed().size());
    assertTrue(s.failed().get(0).contains(StudyFixture.FAILURE), s.failed().get(0));
  }

  @Test
  void summaryFilesAreWritten() throws IOException {
    String csv = Files.readString(fixture.dir.resolve("summary.csv"));
    assertEquals(1 + 2 * 8, csv.lines().count(), csv);
    assertTrue(csv.lines().findFirst().orElseThrow().endsWith("p_value,p_adjusted,correction,effect_size_dz,winner,"
        + "baseline,parameters,flops_per_token"), csv);
    // rotary: three finished seeds and a failed fourth that counts as the study's worst exact match (0.80)
    assertTrue(csv.contains("positional=rotary,exact_match,4,1,0.905,"), csv);
    assertTrue(csv.contains(",holm,"), csv);
    assertTrue(csv.contains(",12345,74070.0\n"), "parameters and FLOPs per token: " + csv);
    String md = Files.readString(fixture.dir.resolve("summary.md"));
    assertTrue(md.contains("positional=sinusoidal (baseline)"), md);
    assertTrue(md.contains("| 4 | 1/4 | 12,345 |"), "k/n failed and parameters in the table: " + md);
    assertTrue(md.contains("Holm-corrected"), md);
    assertTrue(md.contains("Winner on `exact_match`: **positional=rotary**"), md);
    assertTrue(Files.size(fixture.dir.resolve("summary.json")) > 100);
  }

  @Test
  void csvCellsWithCommasQuotesAndLineBreaksStayOneCell() throws IOException {
    String variant = "zip=\"a, b\"\nsecond line";
    List<io.ablate.experiment.run.RunRecord> records = new java.util.ArrayList<>();
    for (long seed : new long[] {1, 2}) {
      records.add(new io.ablate.experiment.run.RunRecord("s", "run-" + seed, variant, Map.of(), seed, "h", "dev", null,
          null, Map.of(), Map.of(), io.ablate.experiment.run.RunRecord.FINISHED, null, null, 10, 60, "cpu", 1, 1, 5,
          Map.of("loss", seed == 1 ? 0.4 : 0.6), "", ""));
    }
    Summary s = Summary.of("s", List.of(variant), variant, List.of("loss"), records);
    var rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
        .readerFor(Map.class).with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
        .<Map<String, String>>readValues(SummaryWriter.csv(s)).readAll();
    assertEquals(1, rows.size(), SummaryWriter.csv(s));
    assertEquals(variant, rows.get(0).get("variant"));
    assertEquals("0.5", rows.get(0).get("mean"));
  }

  @Test
  void runsCsvHasOneRowPerRunWithFactorsAsColumns() throws IOException {
    var rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
        .readerFor(Map.class).with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
        .<Map<String, String>>readValues(fixture.dir.resolve(RunsTable.FILE).toFile()).readAll();
    assertEquals(7, rows.size(), "2 variants × 3 finished seeds + the failed one: " + rows);
    for (Map<String, String> row : rows) {
      assertTrue(row.get("variant").endsWith("=" + row.get("model.positional")), "factor column: " + row);
    }
    Map<String, String> failed = rows.stream().filter(r -> r.get("status").equals("failed")).findFirst().orElseThrow();
    assertEquals(StudyFixture.FAILURE, failed.get("failure"));
    for (Map<String, String> row : rows) {
      if (row.get("status").equals("finished")) {
        assertTrue(Double.parseDouble(row.get("exact_match")) >= 0, "metrics as columns: " + row);
      }
    }
  }

  @Test
  void pngsDecodeAtTheirExpectedSizeAndShowTheSeries() throws IOException {
    BufferedImage curves = read(fixture.dir.resolve(LearningCurvesPlot.FILE));
    assertEquals(LearningCurvesPlot.size(2, 2), size(curves));
    assertTrue(hasColour(curves, ChartStyle.color(0)), "baseline line drawn in its colour");
    assertTrue(hasColour(curves, ChartStyle.color(1)), "second variant drawn in its colour");

    BufferedImage lengths = read(fixture.dir.resolve(LengthGeneralisationPlot.FILE));
    assertEquals(LengthGeneralisationPlot.size(2, true), size(lengths));
    assertTrue(hasColour(lengths, ChartStyle.color(1)));
    assertTrue(hasColour(lengths, java.awt.Color.GRAY), "the training-length marker");

    for (String variant : fixture.variants) {
      BufferedImage attention = read(fixture.dir.resolve(AttentionPlot.fileName(variant)));
      // 2 layers × 2 heads: a 2 × 2 grid of panels
      assertEquals(new Dimension(2 * AttentionPlot.PANEL, 2 * AttentionPlot.PANEL), size(attention));
      assertTrue(distinctColours(attention) > 8, "a heat map, not a blank image");
    }
  }

  @Test
  void lengthPlotMarksTheLongestTrainingLength() {
    StudyResults results = StudyResults.load(fixture.dir);
    assertEquals(fixture.reference.get("train_max_length").asInt(),
        LengthGeneralisationPlot.trainMaxLength(results).getAsInt());
    assertEquals("exact_match", LengthGeneralisationPlot.family(report.summary()).orElseThrow().name());
  }

  @Test
  void htmlShowsEveryVariantTheWinnerTheBaselineAndPValues() {
    for (String variant : fixture.variants) {
      assertTrue(html.contains("<tr data-variant=\"" + variant + "\""), variant);
    }
    assertTrue(html.contains("<tr data-variant=\"positional=rotary\" class=\"winner\">"), "winner row");
    assertTrue(html.contains("<span class=\"badge win\">★ winner</span>"));
    assertTrue(html.contains("<tr data-variant=\"positional=sinusoidal\" class=\"baseline\">"), "baseline row");
    assertTrue(html.contains("(p=0.012, holm p=0.012, d_z=5.1962)"), "paired p, Holm p and d_z of exact match");
    assertTrue(html.contains("★ Winner on <code>exact_match</code>: <strong>positional=rotary</strong>"), html);
    assertTrue(html.contains("<td>1/4</td>"), "k/n failed");
    assertTrue(html.contains("<h1>positional-fixture</h1>"));
    assertTrue(html.contains("3 seeds") || html.contains("4 seeds"));
    assertTrue(html.contains("1 not finished"), "the baseline's fourth seed never started");
  }

  @Test
  void htmlEscapesTextFromSpecsAndRuns() {
    assertFalse(html.contains("<script"), "no script, and the description's tag is escaped");
    assertTrue(html.contains("Which encoding extrapolates? &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
        + "&quot;quotes&quot;"));
    assertTrue(html.contains("exceeds 10.0× the first loss &lt;2.3&gt;"), "failure reason escaped");
    assertTrue(html.contains("<td>positional=rotary--seed-4</td><td>17</td>"), "failed run with its step");
    assertEquals("&lt;a href=&quot;x&quot;&gt; &amp;&#39;", HtmlReport.esc("<a href=\"x\"> &'"));
  }

  @Test
  void htmlEmbedsEveryPlotAndRequestsNothingExternal() throws IOException {
    List<BufferedImage> images = embedded(html);
    assertEquals(2 + fixture.variants.size(), images.size(), "curves, lengths and one attention map per variant");
    for (BufferedImage image : images) {
      assertNotNull(image);
      assertTrue(image.getWidth() > 100 && image.getHeight() > 100);
    }
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "no external resources");
    assertFalse(html.contains("<link"), "styles are inline");
    // every run listed, with tokens/s and wall time
    for (long seed = 1; seed <= 3; seed++) {
      for (String variant : fixture.variants) {
        assertTrue(html.contains("<td>" + variant + "--seed-" + seed + "</td>"), variant + " " + seed);
      }
    }
    assertTrue(html.contains("1,001"), "tokens/s of seed 1");
    assertTrue(html.contains("1 min 03 s"), "wall time of seed 2 (63.5 s)");
  }

  @Test
  void withoutStudyJsonTheRunsAloneGiveTheReport(@TempDir Path other) throws IOException {
    StudyFixture bare = StudyFixture.write(other, false);
    ReportWriter.Report r = ReportWriter.write(bare.dir);
    StudyResults results = StudyResults.load(bare.dir);
    assertTrue(results.inferred());
    assertEquals(Set.copyOf(bare.variants), Set.copyOf(results.info().variants()));
    assertEquals(7, results.runs().size(), "6 finished + 1 failed");
    // three finished seeds (0.90, 0.95, 0.97) and the failed fourth counted as the worst exact match, 0.80
    assertEquals(0.905, r.summary().get("positional=rotary", "exact_match").mean(), 1e-12);
    String page = Files.readString(r.html());
    assertTrue(page.contains("No <code>study.json</code> was found"));
  }

  @Test
  void reportingAgainGivesTheSameFilesAndDropsStalePlots() throws IOException {
    byte[] before = Files.readAllBytes(fixture.dir.resolve(LengthGeneralisationPlot.FILE));
    Path stale = fixture.dir.resolve(AttentionPlot.fileName("positional=removed-since"));
    Files.copy(fixture.dir.resolve(LengthGeneralisationPlot.FILE), stale);
    ReportWriter.write(fixture.dir);
    assertFalse(Files.exists(stale), "a plot of a variant no longer in the study is removed");
    assertEquals(BufferedImageDigest.of(before), BufferedImageDigest.of(
        Files.readAllBytes(fixture.dir.resolve(LengthGeneralisationPlot.FILE))));
  }

  /** Pixel content of a PNG, so that encoder metadata does not matter. */
  private record BufferedImageDigest(int width, int height, int hash) {
    static BufferedImageDigest of(byte[] png) throws IOException {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      return new BufferedImageDigest(image.getWidth(), image.getHeight(),
          java.util.Arrays.hashCode(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth())));
    }
  }

  static List<BufferedImage> embedded(String page) throws IOException {
    List<BufferedImage> out = new ArrayList<>();
    Matcher m = Pattern.compile("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(page);
    while (m.find()) {
      out.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
    }
    return out;
  }

  private static BufferedImage read(Path png) throws IOException {
    assertTrue(Files.isRegularFile(png), png + " exists");
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, png + " decodes");
    return image;
  }

  private static Dimension size(BufferedImage image) {
    return new Dimension(image.getWidth(), image.getHeight());
  }

  private static boolean hasColour(BufferedImage image, java.awt.Color colour) {
    int rgb = colour.getRGB() & 0xFFFFFF;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
          return true;
        }
      }
    }
    return false;
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
