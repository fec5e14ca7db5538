package io.ablate.experiment.report;

import io.ablate.spi.task.Metric;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ablate.experiment.run.VariantCost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes {@code summary.csv}, {@code summary.json} and {@code summary.md} into a study's results folder. */
public final class SummaryWriter {
  private SummaryWriter() {}

  public static void write(Summary summary, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("summary.csv"), csv(summary));
    Files.writeString(dir.resolve("summary.json"), json(summary));
    Files.writeString(dir.resolve("summary.md"), markdown(summary));
  }

  public static String json(Summary summary) throws IOException {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).writeValueAsString(summary) + "\n";
  }

  /** One row per variant and metric; quoted and defused by {@link CsvCell}. */
  public static String csv(Summary s) {
    List<String> columns = List.of("variant", "metric", "n", "failed", "mean", "std", "ci95", "pairs",
        "diff_vs_baseline", "diff_ci95", "p_value", "p_adjusted", "correction", "effect_size_dz", "winner",
        "baseline", "parameters", "flops_per_token");
    List<List<String>> rows = new ArrayList<>();
    for (VariantStats v : s.stats()) {
      VariantCost cost = s.costs().get(v.variant());
      rows.add(List.of(v.variant(), v.metric(), String.valueOf(v.n()), String.valueOf(v.failed()), num(v.mean()),
          num(v.std()), num(v.ci95()), String.valueOf(v.pairs()), num(v.diff()), num(v.diffCi95()), num(v.pValue()),
          num(v.pAdjusted()), s.correction(), num(v.effectSize()), String.valueOf(v.winner()),
          String.valueOf(v.variant().equals(s.baseline())), cost == null ? "" : String.valueOf(cost.parameters()),
          cost == null ? "" : num(cost.flopsPerToken())));
    }
    return CsvCell.table(columns, rows);
  }

  /** One row per variant, one column per metric: {@code mean ± std [±ci]}, then Δ, corrected p and d_z. */
  public static String markdown(Summary s) {
    StringBuilder out = new StringBuilder("# " + s.study() + "\n\n");
    out.append("Baseline: `").append(s.baseline()).append("`. Primary metric: `").append(s.primary())
        .append("` (").append(Summary.lowerIsBetter(s.primary()) ? "lower" : "higher").append(" is better).\n\n")
        .append(method(s)).append("\n\n");
    if (!s.primary().isEmpty()) {
      out.append(verdict(s, s.verdict(s.primary()))).append("\n\n");
    }
    // The table shows the study's own metrics; per-length and other detail stays in the CSV, JSON and plots.
    List<String> metrics = new ArrayList<>(s.requested().isEmpty()
        ? s.metrics().stream().filter(m -> !m.contains("@")).toList()
        : s.metrics().stream().filter(s.requested()::contains).toList());
    out.append("| variant | n | failed | parameters | FLOPs/token |");
    metrics.forEach(m -> out.append(' ').append(m).append(" |"));
    out.append("\n|---|---|---|---|---|");
    metrics.forEach(m -> out.append("---|"));
    out.append('\n');
    for (String variant : s.variants()) {
      int n = s.seeds(variant);
      VariantCost cost = s.costs().get(variant);
      String tuned = s.tuning().chosen().containsKey(variant) ? " [" + s.tuning().chosen().get(variant) + "]" : "";
      out.append("| ").append(variant).append(tuned).append(variant.equals(s.baseline()) ? " (baseline)" : "")
          .append(" | ")
          .append(n).append(" | ").append(s.failures(variant)).append('/').append(n).append(" | ")
          .append(cost == null ? "—" : String.format(Locale.ROOT, "%,d", cost.parameters())).append(" | ")
          .append(cost == null || cost.flopsPerToken() <= 0 ? "—" : String.format(Locale.ROOT, "%.3g",
              cost.flopsPerToken())).append(" |");
      for (String m : metrics) {
        VariantStats v = s.get(variant, m);
        String cell = Double.isNaN(v.mean()) ? "—" : fmt(v.mean()) + (Double.isNaN(v.std()) ? "" : " ± " + fmt(v.std()))
            + (Double.isNaN(v.ci95()) ? "" : " [±" + fmt(v.ci95()) + "]")
            + (variant.equals(s.baseline()) || Double.isNaN(v.diff()) ? "" : "; " + delta(v, s.correction()));
        out.append(' ').append(v.winner() ? "**" + cell + "**" : cell).append(" |");
      }
      out.append('\n');
    }
    out.append(tuning(s));
    if (!s.failed().isEmpty()) {
      out.append("\nFailed runs (each counts as its metric's worst value in the study):\n\n");
      s.failed().forEach(f -> out.append("- ").append(f).append('\n'));
    }
    return out.toString();
  }

  /** With {@code tune:}, the setting each variant was represented by and every trial's score; else "". */
  public static String tuning(Summary s) {
    if (s.tuning().trials().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("\nTuning: each variant is represented by its trial with the best mean `")
        .append(s.tuning().selectedOn()).append("` over seeds (")
        .append(s.tuning().selectedOn().startsWith(Metric.VALIDATION) ? "the validation split; the table shows test metrics"
            : "the task has no validation split: final training loss")
        .append(").\n\n| variant | setting | ").append(s.tuning().selectedOn()).append(" | seeds | failed | chosen |\n")
        .append("|---|---|---|---|---|---|\n");
    for (TrialSelection.Trial t : s.tuning().trials()) {
      boolean chosen = t.setting().equals(s.tuning().chosen().get(t.variant()));
      out.append("| ").append(t.variant()).append(" | ").append(t.setting()).append(" | ")
          .append(Double.isNaN(t.score()) ? "—" : fmt(t.score())).append(" | ").append(t.seeds()).append(" | ")
          .append(t.failed()).append(" | ").append(chosen ? "✓" : "").append(" |\n");
    }
    return out.toString();
  }

  /** How the table's numbers were computed, in one paragraph. */
  public static String method(Summary s) {
    return "Cells: mean ± std over seeds [95% CI half-width, Student t]. Δ: mean over seeds of (variant − "
        + "baseline) with its paired 95% CI, since variants of one seed share batches and evaluation items; "
        + "p: two-sided paired t-test (none below " + io.ablate.experiment.stats.PairedComparison.MIN_PAIRS
        + " seeds), " + correctionName(s.correction()) + "-corrected across the variants' comparisons of each "
        + "metric; d_z: Cohen's effect size of the paired differences. A failed run counts as the metric's "
        + "worst value in the study. **bold** / ★ = beats the runner-up at α = " + s.alpha() + " after correction.";
  }

  /** The primary metric's verdict as a sentence. */
  public static String verdict(Summary s, Verdict v) {
    if (v.best() == null) {
      return "No values of `" + v.metric() + "` yet.";
    }
    if (v.winner() != null) {
      return "Winner on `" + v.metric() + "`: **" + v.winner() + "**, better than the runner-up `" + v.runnerUp()
          + "` by " + signed(v.comparison().meanDiff()) + " (paired, " + correctionName(s.correction()) + " p = "
          + pval(v.pAdjusted()) + ", d_z = " + fmt(v.comparison().effectSize()) + ", " + v.comparison().n()
          + " seeds).";
    }
    if (v.runnerUp() == null) {
      return "Only `" + v.best() + "` has values of `" + v.metric() + "`: no comparison.";
    }
    if (s.get(v.best(), v.metric()).mean() == s.get(v.runnerUp(), v.metric()).mean()) {
      return "No winner on `" + v.metric() + "`: the best mean is shared by `" + v.best() + "` and `" + v.runnerUp()
          + "`.";
    }
    String why = v.comparison() == null || Double.isNaN(v.pAdjusted())
        ? "too few seeds for a test: " + (v.comparison() == null ? 0 : v.comparison().n()) + " paired, need "
            + io.ablate.experiment.stats.PairedComparison.MIN_PAIRS
        : correctionName(s.correction()) + " p = " + pval(v.pAdjusted()) + " ≥ " + s.alpha();
    return "No winner on `" + v.metric() + "`: the best mean, `" + v.best() + "`, is not shown to beat the runner-up `"
        + v.runnerUp() + "` (" + why + ").";
  }

  /** {@code Δ +0.0500 [±0.0100] (p=0.012, holm p=0.024, d_z=2.10)}. */
  static String delta(VariantStats v, String correction) {
    StringBuilder d = new StringBuilder("Δ " + signed(v.diff()));
    if (!Double.isNaN(v.diffCi95())) {
      d.append(" [±").append(fmt(v.diffCi95())).append(']');
    }
    if (!Double.isNaN(v.pValue())) {
      d.append(" (p=").append(pval(v.pValue())).append(", ").append(correction).append(" p=")
          .append(pval(v.pAdjusted())).append(", d_z=").append(fmt(v.effectSize())).append(')');
    } else if (v.pairs() < io.ablate.experiment.stats.PairedComparison.MIN_PAIRS) {
      d.append(" (").append(v.pairs()).append(v.pairs() == 1 ? " paired seed" : " paired seeds").append(": no test)");
    }
    return d.toString();
  }

  static String correctionName(String correction) {
    return correction.isEmpty() ? correction : Character.toUpperCase(correction.charAt(0)) + correction.substring(1);
  }

  static String signed(double x) {
    return (x >= 0 ? "+" : "") + fmt(x);
  }

  static String fmt(double x) {
    if (Double.isInfinite(x)) {
      return x > 0 ? "∞" : "−∞";
    }
    double a = Math.abs(x);
    return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3g", x) : String.format(Locale.ROOT, "%.4f", x);
  }

  static String pval(double p) {
    return p < 1e-4 ? "<1e-4" : String.format(Locale.ROOT, "%.3f", p);
  }

  private static String num(double x) {
    return Double.isNaN(x) ? "" : String.valueOf(x);
  }
}
