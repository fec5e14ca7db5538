package io.ablate.cli;

import io.ablate.experiment.report.Summary;
import io.ablate.experiment.report.SummaryWriter;
import io.ablate.experiment.report.VariantStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

/**
 * The summary for a terminal or a log, as a picocli {@link TextTable}: one row per variant, one
 * column per declared metric ({@code mean ±ci95}, {@code *} = best), then the primary metric's
 * difference from the baseline and its p-value. Lines stay short enough to read; the full
 * statistics are in summary.md/csv/json.
 */
final class SummaryTable {
  private SummaryTable() {}

  static String render(Summary s) {
    List<String> metrics = s.requested().isEmpty()
        ? s.metrics().stream().filter(m -> !m.contains("@")).toList()
        : s.metrics().stream().filter(s.requested()::contains).toList();
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("variant", "n"));
    header.addAll(metrics);
    header.add("Δ " + s.primary());
    header.add("p (" + s.correction() + ")");
    header.add("d_z");
    rows.add(header.toArray(String[]::new));
    for (String variant : s.variants()) {
      List<String> row = new ArrayList<>();
      row.add(variant + (variant.equals(s.baseline()) ? " (baseline)" : ""));
      row.add(String.valueOf(s.seeds(variant)));
      for (String m : metrics) {
        VariantStats v = s.get(variant, m);
        row.add(Double.isNaN(v.mean()) ? "—" : num(v.mean()) + (Double.isNaN(v.ci95()) ? "" : " ±" + num(v.ci95()))
            + (v.winner() ? " *" : ""));
      }
      boolean hasPrimary = !s.primary().isEmpty() && s.metrics().contains(s.primary());
      VariantStats p = hasPrimary ? s.get(variant, s.primary()) : null;
      row.add(p == null || variant.equals(s.baseline()) || Double.isNaN(p.diff()) ? ""
          : (p.diff() >= 0 ? "+" : "") + num(p.diff()));
      row.add(p == null || Double.isNaN(p.pAdjusted()) ? "" : p.pAdjusted() < 1e-4 ? "<1e-4"
          : String.format(Locale.ROOT, "%.3f", p.pAdjusted()));
      row.add(p == null || Double.isNaN(p.effectSize()) ? "" : String.format(Locale.ROOT, "%+.2f", p.effectSize()));
      rows.add(row.toArray(String[]::new));
    }
    Column[] columns = new Column[header.size()];
    for (int c = 0; c < columns.length; c++) {
      int width = 0;
      for (String[] row : rows) {
        width = Math.max(width, row[c].length());
      }
      columns[c] = new Column(width + 2, 0, Column.Overflow.WRAP);
    }
    TextTable table = TextTable.forColumns(Help.defaultColorScheme(Help.Ansi.OFF), columns);
    rows.forEach(table::addRowValues);
    String title = s.study() + ": baseline " + s.baseline() + ", primary metric " + s.primary() + " ("
        + (Summary.lowerIsBetter(s.primary()) ? "lower" : "higher") + " is better)";
    StringBuilder out = new StringBuilder(title).append('\n').append(table.toString().stripTrailing()).append('\n')
        .append("mean ±95% CI over seeds; * winner (beats the runner-up after correction); Δ, p and d_z: the primary "
            + "metric paired by seed against the baseline (t-test, " + s.correction() + "-corrected; no p below 3 seeds)\n");
    if (hasPrimary(s)) {
      out.append(SummaryWriter.verdict(s, s.verdict(s.primary())).replace("**", "").replace("`", "")).append('\n');
    }
    if (!s.failed().isEmpty()) {
      out.append("failed runs:\n");
      s.failed().forEach(f -> out.append("  ").append(f.replaceAll("\\s*[\\r\\n]+\\s*", " ")).append('\n'));
    }
    return out.toString();
  }

  private static boolean hasPrimary(Summary s) {
    return !s.primary().isEmpty() && s.metrics().contains(s.primary());
  }

  private static String num(double x) {
    double a = Math.abs(x);
    return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3g", x)
        : String.format(Locale.ROOT, "%.4f", x);
  }
}
