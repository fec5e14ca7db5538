package io.ablate.experiment.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code length_generalisation.png}: a per-length metric ({@code exact_match@len=N}) against N, one
 * line per variant (mean over seeds, error bars = 95% CI half-width), with a dashed marker after
 * the longest training length when the task config says which it is ({@code train_max_length}, or
 * the upper end of {@code train_lengths}).
 */
final class LengthGeneralisationPlot {
  static final String FILE = "length_generalisation.png";
  static final int WIDTH = 900;
  static final int PLOT_HEIGHT = 460;
  private static final Pattern PER_LENGTH = Pattern.compile("(.+)@len=(\\d+)");

  private LengthGeneralisationPlot() {}

  /** The size of the PNG for {@code variants} variants (the training-length marker adds a legend line). */
  static java.awt.Dimension size(int variants, boolean marker) {
    return new java.awt.Dimension(WIDTH, ChartStyle.heightWithLegend(PLOT_HEIGHT, variants + (marker ? 1 : 0)));
  }

  /** The per-length metric family to plot: {@code exact_match} when present, else the first found. */
  static Optional<String> family(Summary summary) {
    List<String> families = new ArrayList<>();
    for (String m : summary.metrics()) {
      Matcher x = PER_LENGTH.matcher(m);
      if (x.matches() && !families.contains(x.group(1))) {
        families.add(x.group(1));
      }
    }
    if (families.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(families.contains("exact_match") ? "exact_match" : families.get(0));
  }

  static Optional<Path> write(StudyResults results, Summary summary, Path dir) throws IOException {
    Optional<String> family = family(summary);
    if (family.isEmpty()) {
      return Optional.empty();
    }
    TreeMap<Integer, String> lengths = new TreeMap<>();
    for (String m : summary.metrics()) {
      Matcher x = PER_LENGTH.matcher(m);
      if (x.matches() && x.group(1).equals(family.get())) {
        lengths.put(Integer.parseInt(x.group(2)), m);
      }
    }
    OptionalInt trainMax = trainMaxLength(results);
    List<String> variants = summary.variants();            // with tune:, the variants, not their trials
    XYChart chart = new XYChartBuilder().width(WIDTH)
        .height(ChartStyle.heightWithLegend(PLOT_HEIGHT, variants.size() + (trainMax.isPresent() ? 1 : 0)))
        .title(family.get() + " by sequence length (mean over seeds, bars = 95% CI)")
        .xAxisTitle("length").yAxisTitle(family.get()).build();
    ChartStyle.apply(chart);
    chart.getStyler().setErrorBarsColorSeriesColor(true);
    boolean bounded = LearningCurvesPlot.isFraction(family.get());
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    boolean any = false;
    for (int i = 0; i < variants.size(); i++) {
      String variant = variants.get(i);
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      List<Double> errors = new ArrayList<>();
      for (Map.Entry<Integer, String> e : lengths.entrySet()) {
        VariantStats s = summary.get(variant, e.getValue());
        if (!Double.isNaN(s.mean())) {
          xs.add((double) e.getKey());
          ys.add(s.mean());
          errors.add(Double.isNaN(s.ci95()) ? 0 : s.ci95());
          lo = Math.min(lo, s.mean());
          hi = Math.max(hi, s.mean());
        }
      }
      if (xs.isEmpty()) {
        continue;
      }
      any = true;
      Color color = ChartStyle.color(i);
      XYSeries line = chart.addSeries(variant + (variant.equals(results.info().baseline()) ? " (baseline)" : ""),
          xs, ys, errors);
      line.setLineColor(color).setLineWidth(2f);
      line.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color);
    }
    if (!any) {
      return Optional.empty();
    }
    if (bounded) {
      chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
      lo = 0;
      hi = 1;
    }
    if (trainMax.isPresent()) {
      double x = trainMax.getAsInt() + 0.5;
      XYSeries marker = chart.addSeries("trained on lengths ≤ " + trainMax.getAsInt(), new double[] {x, x},
          new double[] {lo, hi});
      marker.setLineColor(Color.GRAY).setLineStyle(ChartStyle.DASHED);
      marker.setMarker(SeriesMarkers.NONE);
    }
    chart.getStyler().setXAxisDecimalPattern("#");
    Path file = dir.resolve(FILE);
    ChartStyle.png(List.of(chart), 1, file);
    return Optional.of(file);
  }

  /**
   * The longest training length, when every finished run's task config gives the same one
   * ({@code task.train_max_length}, or the last entry of {@code task.train_lengths}).
   */
  static OptionalInt trainMaxLength(StudyResults results) {
    Integer found = null;
    for (RunResult r : results.runs()) {
      if (!r.finished() || r.record().config() == null) {
        continue;
      }
      Integer l = trainMaxLength(r.record().config().get("task"));
      if (l == null) {
        return OptionalInt.empty();
      }
      if (found != null && !found.equals(l)) {
        return OptionalInt.empty();            // variants train on different lengths: no single marker
      }
      found = l;
    }
    return found == null ? OptionalInt.empty() : OptionalInt.of(found);
  }

  private static Integer trainMaxLength(Object task) {
    if (!(task instanceof Map<?, ?> map)) {
      return null;
    }
    if (map.get("train_max_length") instanceof Number n) {
      return n.intValue();
    }
    if (map.get("train_lengths") instanceof List<?> range && !range.isEmpty()
        && range.get(range.size() - 1) instanceof Number n) {
      return n.intValue();
    }
    return null;
  }
}
