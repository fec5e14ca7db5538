package io.ablate.experiment.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
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

  /** One row per variant and metric; written with jackson-dataformat-csv, so any cell text is quoted as CSV needs. */
  public static String csv(Summary s) {
    CsvSchema schema = CsvSchema.builder().setUseHeader(true).addColumns(List.of("variant", "metric", "n", "mean",
        "std", "ci95", "diff_vs_baseline", "p_value", "winner", "baseline"), CsvSchema.ColumnType.STRING).build();
    List<List<String>> rows = new ArrayList<>();
    for (VariantStats v : s.stats()) {
      rows.add(List.of(v.variant(), v.metric(), String.valueOf(v.n()), num(v.mean()), num(v.std()), num(v.ci95()),
          num(v.diff()), num(v.pValue()), String.valueOf(v.winner()), String.valueOf(v.variant().equals(s.baseline()))));
    }
    try {
      return new CsvMapper().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writer(schema)
          .writeValueAsString(rows);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One row per variant, one column per metric: {@code mean ± std [±ci]}, Δ and p against the baseline. */
  public static String markdown(Summary s) {
    StringBuilder out = new StringBuilder("# " + s.study() + "\n\n");
    out.append("Baseline: `").append(s.baseline()).append("`. Primary metric: `").append(s.primary())
        .append("` (").append(Summary.lowerIsBetter(s.primary()) ? "lower" : "higher").append(" is better). ")
        .append("Cells: mean ± std over seeds [95% CI half-width]; Δ vs baseline (Welch t-test p). ")
        .append("**bold** = best.\n\n");
    // The table shows the study's own metrics; per-length and other detail stays in the CSV, JSON and plots.
    List<String> metrics = new ArrayList<>(s.requested().isEmpty()
        ? s.metrics().stream().filter(m -> !m.contains("@")).toList()
        : s.metrics().stream().filter(s.requested()::contains).toList());
    out.append("| variant | n |");
    metrics.forEach(m -> out.append(' ').append(m).append(" |"));
    out.append("\n|---|---|");
    metrics.forEach(m -> out.append("---|"));
    out.append('\n');
    for (String variant : s.variants()) {
      int n = s.stats().stream().filter(v -> v.variant().equals(variant)).mapToInt(VariantStats::n).max().orElse(0);
      out.append("| ").append(variant).append(variant.equals(s.baseline()) ? " (baseline)" : "").append(" | ")
          .append(n).append(" |");
      for (String m : metrics) {
        VariantStats v = s.get(variant, m);
        String cell = Double.isNaN(v.mean()) ? "—" : fmt(v.mean()) + (Double.isNaN(v.std()) ? "" : " ± " + fmt(v.std()))
            + (Double.isNaN(v.ci95()) ? "" : " [±" + fmt(v.ci95()) + "]")
            + (variant.equals(s.baseline()) || Double.isNaN(v.diff()) ? ""
                : "; Δ " + (v.diff() >= 0 ? "+" : "") + fmt(v.diff())
                    + (Double.isNaN(v.pValue()) ? "" : " (p=" + pval(v.pValue()) + ")"));
        out.append(' ').append(v.winner() ? "**" + cell + "**" : cell).append(" |");
      }
      out.append('\n');
    }
    if (!s.failed().isEmpty()) {
      out.append("\nFailed runs:\n\n");
      s.failed().forEach(f -> out.append("- ").append(f).append('\n'));
    }
    return out.toString();
  }

  static String fmt(double x) {
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
