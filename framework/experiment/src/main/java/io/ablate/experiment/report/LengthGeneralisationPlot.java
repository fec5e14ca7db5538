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
 * {@code length_generalisation.png}: a per-length metric against the length, one line per variant
 * (mean over seeds, error bars = 95% CI half-width), with a dashed marker at the training length when
 * the task config says which it is. Two forms exist: sequence lengths, {@code exact_match@len=N}
 * (synthetic tasks; marker after {@code train_max_length}, or the upper end of {@code train_lengths}),
 * and context lengths, {@code loss@ctx=N} (language models evaluated with more context than they
 * were trained on; marker at {@code train_context}). Validation copies ({@code val/…}) are not plotted.
 */
final class LengthGeneralisationPlot {
  static final String FILE = "length_generalisation.png";
  static final int WIDTH = 900;
  static final int PLOT_HEIGHT = 460;
  private static final Pattern PER_LENGTH = Pattern.compile("(.+)@(len|ctx)=(\\d+)");

  /**
   * The curve plotted: a metric and whether its lengths are sequence lengths ({@code len}) or
   * context lengths ({@code ctx}).
   */
  record Family(String name, String axis) {
    boolean context() {
      return axis.equals("ctx");
    }

    String lengthName() {
      return context() ? "context length" : "sequence length";
    }

    /** {@code name@axis=length}, as the task reports it. */
    String metric(int length) {
      return name + "@" + axis + "=" + length;
    }
  }

  private LengthGeneralisationPlot() {}

  /** The size of the PNG for {@code variants} variants (the training-length marker adds a legend line). */
  static java.awt.Dimension size(int variants, boolean marker) {
    return new java.awt.Dimension(WIDTH, ChartStyle.heightWithLegend(PLOT_HEIGHT, variants + (marker ? 1 : 0)));
  }

  /**
   * The per-length family to plot: {@code exact_match} per sequence length when present, else the
   * family of the primary metric when that is per length ({@code loss@ctx=256} → {@code loss} per
   * context), else the first found.
   */
  static Optional<Family> family(Summary summary) {
    List<Family> families = new ArrayList<>();
    for (String m : summary.metrics()) {
      Matcher x = PER_LENGTH.matcher(m);
      if (x.matches() && !x.group(1).startsWith(io.ablate.spi.task.Metric.VALIDATION)) {
        Family f = new Family(x.group(1), x.group(2));
        if (!families.contains(f)) {
          families.add(f);
        }
      }
    }
    Family exact = new Family("exact_match", "len");
    if (families.contains(exact)) {
      return Optional.of(exact);
    }
    Matcher primary = PER_LENGTH.matcher(summary.primary());
    if (primary.matches() && families.contains(new Family(primary.group(1), primary.group(2)))) {
      return Optional.of(new Family(primary.group(1), primary.group(2)));
    }
    return families.stream().findFirst();
  }

  static Optional<Path> write(StudyResults results, Summary summary, Path dir) throws IOException {
    Optional<Family> found = family(summary);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Family family = found.get();
    TreeMap<Integer, String> lengths = new TreeMap<>();
    for (String m : summary.metrics()) {
      Matcher x = PER_LENGTH.matcher(m);
      if (x.matches() && new Family(x.group(1), x.group(2)).equals(family)) {
        lengths.put(Integer.parseInt(x.group(3)), m);
      }
    }
    OptionalInt trainMax = trainMaxLength(results);
    List<String> variants = summary.variants();            // with tune:, the variants, not their trials
    XYChart chart = new XYChartBuilder().width(WIDTH)
        .height(ChartStyle.heightWithLegend(PLOT_HEIGHT, variants.size() + (trainMax.isPresent() ? 1 : 0)))
        .title(family.name() + " by " + family.lengthName() + " (mean over seeds, bars = 95% CI)")
        .xAxisTitle(family.lengthName()).yAxisTitle(family.name()).build();
    ChartStyle.apply(chart);
    chart.getStyler().setErrorBarsColorSeriesColor(true);
    boolean bounded = LearningCurvesPlot.isFraction(family.name());
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
      double x = trainMax.getAsInt() + (family.context() ? 0 : 0.5);
      XYSeries marker = chart.addSeries((family.context() ? "trained with context " : "trained on lengths ≤ ")
          + trainMax.getAsInt(), new double[] {x, x}, new double[] {lo, hi});
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
   * ({@code task.train_max_length}, the last entry of {@code task.train_lengths}, or a language
   * model's {@code task.train_context}).
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
    if (map.get("train_context") instanceof Number n) {
      return n.intValue();
    }
    return null;
  }
}
