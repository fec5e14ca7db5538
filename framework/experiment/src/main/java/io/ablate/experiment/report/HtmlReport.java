package io.ablate.experiment.report;

import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.VariantCost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code report.html}: one self-contained page (inline CSS, images as {@code data:} URIs, no script,
 * no external request) with the study, the summary table, failed runs, the plots and every run.
 * The page is the Mustache template {@code report.html.mustache} (JMustache) filled from a view
 * model built here; all text from specs and runs is HTML-escaped by the template engine.
 */
final class HtmlReport {
  static final String FILE = "report.html";

  /**
   * A plot shown in the report.
   *
   * @param kind a CSS class: {@code wide} figures take the page width, {@code tile} ones sit side by side
   */
  record Figure(String title, String caption, Path png, String kind) {}

  private HtmlReport() {}

  static Path write(StudyResults results, Summary summary, List<Figure> figures, Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, render(results, summary, figures));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  static String render(StudyResults results, Summary summary, List<Figure> figures) throws IOException {
    StudyInfo info = results.info();
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("css", resource("report.css"));
    page.put("study", info.study());
    page.put("description", info.description().isBlank() ? "" : info.description());
    long finished = results.runs().stream().filter(RunResult::finished).count();
    long failed = results.runs().stream().filter(r -> RunRecord.FAILED.equals(r.record().status())).count();
    page.put("variantCount", info.variants().size());
    page.put("seedCount", info.seeds().size());
    page.put("finished", finished);
    page.put("failed", failed);
    page.put("pending", Math.max(0, info.runs().size() - finished - failed));
    page.put("baseline", info.baseline());
    page.put("inferred", results.inferred());
    page.put("primary", summary.primary().isEmpty() ? false : verdict(summary));
    page.put("method", SummaryWriter.method(summary).replace("**bold** / ", ""));
    page.put("alpha", summary.alpha());
    page.put("tuning", SummaryWriter.tuning(summary).strip());
    List<String> main = mainMetrics(summary);
    page.put("mainTable", table(summary, main, "summary"));
    List<String> other = summary.metrics().stream().filter(m -> !main.contains(m) && !perLength(m)).toList();
    page.put("otherTable", other.isEmpty() ? false : table(summary, other, "summary detail"));
    List<String> lengths = summary.metrics().stream().filter(HtmlReport::perLength).toList();
    page.put("lengthTable", lengths.isEmpty() ? false : table(summary, lengths, "summary detail"));
    List<Map<String, Object>> failedRuns = results.runs().stream()
        .filter(r -> RunRecord.FAILED.equals(r.record().status()))
        .map(r -> row("run", r.record().run(), "step", r.record().failedStep() == null ? "" : r.record().failedStep(),
            "reason", String.valueOf(r.record().failure()))).toList();
    page.put("hasFailed", !failedRuns.isEmpty());
    page.put("failedRuns", failedRuns);
    List<Map<String, Object>> shown = new ArrayList<>();
    for (Figure f : figures) {
      shown.add(row("kind", f.kind(), "title", f.title(), "caption", f.caption(), "file", f.png().getFileName().toString(),
          "data", Base64.getEncoder().encodeToString(Files.readAllBytes(f.png()))));
    }
    page.put("prefixMatching", PrefixMatching.html(PrefixMatching.of(results)));
    page.put("hasFigures", !shown.isEmpty());
    page.put("figures", shown);
    page.put("hasPrimary", !summary.primary().isEmpty());
    page.put("runs", results.runs().stream().map(r -> run(r.record(), summary.primary())).toList());
    page.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    page.put("dir", results.dir().toAbsolutePath().normalize().toString());
    return PAGE.execute(page);
  }

  /**
   * The primary metric and the verdict on it: the winner when it beats the runner-up after correction,
   * else why there is none ({@link SummaryWriter#verdict}); its Markdown bold and code become HTML.
   */
  private static Map<String, Object> verdict(Summary summary) {
    String primary = summary.primary();
    Verdict v = summary.verdict(primary);
    String html = esc(SummaryWriter.verdict(summary, v)).replaceAll("\\*\\*([^*]+)\\*\\*", "<strong>$1</strong>")
        .replaceAll("`([^`]+)`", "<code>$1</code>");
    return row("name", primary, "direction", Summary.lowerIsBetter(primary) ? "lower" : "higher",
        "won", v.winner() != null, "verdictHtml", html);
  }

  /** A summary table: the metrics as columns, one row per variant (baseline and winner marked). */
  private static Map<String, Object> table(Summary summary, List<String> metrics, String cssClass) {
    List<Map<String, Object>> columns = metrics.stream().map(m -> row("name", m, "primary", m.equals(summary.primary()),
        "arrow", MetricDirections.diagnostic(m) ? "" : Summary.lowerIsBetter(m) ? " ↓" : " ↑")).toList();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String v : summary.variants()) {
      boolean baseline = v.equals(summary.baseline());
      boolean winner = !summary.primary().isEmpty() && summary.metrics().contains(summary.primary())
          && summary.get(v, summary.primary()).winner();
      List<String> classes = new ArrayList<>();
      if (baseline) {
        classes.add("baseline");
      }
      if (winner) {
        classes.add("winner");
      }
      int n = summary.seeds(v);
      VariantCost cost = summary.costs().get(v);
      rows.add(row("variant", v, "classes", String.join(" ", classes), "baseline", baseline, "winner", winner, "n", n,
          "failed", summary.failures(v) + "/" + n, "tuned", summary.tuning().chosen().getOrDefault(v, ""),
          "parameters", cost == null ? "—" : String.format(Locale.ROOT, "%,d", cost.parameters()),
          "flops", cost == null || cost.flopsPerToken() <= 0 ? "—" : String.format(Locale.ROOT, "%.3g",
              cost.flopsPerToken()),
          "cells", metrics.stream().map(m -> cell(summary.get(v, m), baseline, summary.correction())).toList()));
    }
    return row("tableClass", cssClass, "columns", columns, "rows", rows);
  }

  private static Map<String, Object> cell(VariantStats s, boolean baseline, String correction) {
    boolean empty = Double.isNaN(s.mean());
    boolean delta = !empty && !baseline && !Double.isNaN(s.diff());
    return row("best", s.winner(), "empty", empty, "mean", empty ? "" : SummaryWriter.fmt(s.mean()),
        "std", Double.isNaN(s.std()) ? "" : SummaryWriter.fmt(s.std()),
        "ci", Double.isNaN(s.ci95()) ? "" : SummaryWriter.fmt(s.ci95()),
        "delta", delta ? SummaryWriter.delta(s, correction) : "",
        "sig", delta && !Double.isNaN(s.pAdjusted()) && s.pAdjusted() < Summary.ALPHA);
  }

  private static Map<String, Object> run(RunRecord rec, String primary) {
    Double value = primary.isEmpty() || rec.metrics() == null ? null : rec.metrics().get(primary);
    return row("status", RunRecord.label(rec.status()), "run", rec.run(), "variant", rec.variant(), "seed", rec.seed(),
        "parameters", String.format(Locale.ROOT, "%,d", rec.parameters()), "steps", rec.steps(),
        "tokensPerSecond", String.format(Locale.ROOT, "%,.0f", rec.tokensPerSecond()),
        "wall", duration(rec.wallSeconds()), "primaryValue", value == null ? "—" : SummaryWriter.fmt(value),
        "hash", rec.hash() == null ? "" : rec.hash().substring(0, Math.min(8, rec.hash().length())));
  }

  private static boolean perLength(String metric) {
    return metric.contains("@");
  }

  /** The study's own metrics ({@code metrics:} in the spec), else every metric that is not per length. */
  static List<String> mainMetrics(Summary summary) {
    List<String> requested = summary.metrics().stream().filter(summary.requested()::contains).toList();
    return requested.isEmpty() ? summary.metrics().stream().filter(m -> !perLength(m)).toList() : requested;
  }

  /** A view-model map from alternating keys and values, in order. */
  private static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /** Escapes text for HTML element content and double- or single-quoted attribute values. */
  static String esc(String text) {
    return text == null ? "" : ESCAPER.escape(text);
  }

  private static final Mustache.Escaper ESCAPER = Escapers.simple(new String[][] {
      {"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});

  /** report.html.mustache with its table partial; every {{value}} HTML-escaped, {{{css}}} as is. */
  private static final Template PAGE = Mustache.compiler().withEscaper(ESCAPER).defaultValue("")
      .emptyStringIsFalse(true).zeroIsFalse(true)
      .withLoader(name -> new StringReader(resource(name + ".mustache")))
      .compile(resource("report.html.mustache"));

  private static String resource(String name) {
    try (var in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to " + HtmlReport.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
