package io.ablate.experiment.report;

import io.ablate.experiment.run.AttentionEntropy;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code attention_entropy.png}: attention entropy (nats) against training step, one panel per
 * attention layer ({@code attn_entropy/L<l>}, see {@link AttentionEntropy}). In each panel one line
 * per variant, the mean over its heads and finished seeds, and a shaded band from its lowest to its
 * highest head (each head averaged over seeds first), so that 16 heads stay readable: the line says
 * how sharp the layer's attention is, the band how much its heads differ.
 */
final class AttentionEntropyPlot {
  static final String FILE = "attention_entropy.png";
  private static final Pattern LAYER = Pattern.compile(Pattern.quote(AttentionEntropy.METRIC) + "/L(\\d+)");
  private static final int MAX_POINTS = 400;

  private AttentionEntropyPlot() {}

  /** Layer numbers with an entropy curve in any finished run, in order. */
  static List<Integer> layers(StudyResults results) {
    TreeSet<Integer> layers = new TreeSet<>();
    for (RunResult r : results.runs()) {
      if (r.finished()) {
        for (String name : r.history().names()) {
          Matcher m = LAYER.matcher(name);
          if (m.matches()) {
            layers.add(Integer.parseInt(m.group(1)));
          }
        }
      }
    }
    return new ArrayList<>(layers);
  }

  /** Writes the plot when any finished run logged attention entropy; returns the file. */
  static Optional<Path> write(StudyResults results, Path dir) throws IOException {
    List<Integer> layers = layers(results);
    if (layers.isEmpty()) {
      return Optional.empty();
    }
    List<XYChart> charts = new ArrayList<>();
    for (int layer : layers) {
      charts.add(chart(results, layer));
    }
    Path file = dir.resolve(FILE);
    ChartStyle.png(charts, Math.min(2, charts.size()), file);
    return Optional.of(file);
  }

  private static XYChart chart(StudyResults results, int layer) {
    List<String> names = results.info().variants();
    String metric = AttentionEntropy.METRIC + "/L" + layer;
    XYChart chart = new XYChartBuilder().width(LearningCurvesPlot.PANEL_WIDTH)
        .height(ChartStyle.heightWithLegend(LearningCurvesPlot.PLOT_HEIGHT, names.size()))
        .title("layer L" + layer + ": attention entropy (mean over heads and seeds, band = min–max head)")
        .xAxisTitle("step").yAxisTitle("entropy (nats)").build();
    ChartStyle.apply(chart);
    chart.getStyler().setYAxisMin(0.0);
    for (int i = 0; i < names.size(); i++) {
      String variant = names.get(i);
      List<RunResult> runs = results.finished(variant);
      SeedCurve curve = SeedCurve.of(series(runs, metric), MAX_POINTS);
      Color color = ChartStyle.color(i);
      String label = variant + (variant.equals(results.info().baseline()) ? " (baseline)" : "");
      if (curve.isEmpty()) {
        XYSeries empty = chart.addSeries(label + " (no entropy)", new double[] {Double.NaN}, new double[] {Double.NaN});
        empty.setLineColor(color);
        empty.setMarker(SeriesMarkers.NONE);
        continue;
      }
      double[][] band = headBand(runs, layer, curve.steps());
      if (band != null) {
        XYSeries area = chart.addSeries(variant + " heads", around(curve.steps()), around(band[0], band[1]));
        area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        area.setFillColor(ChartStyle.translucent(color, 45));
        area.setLineColor(ChartStyle.translucent(color, 0));
        area.setMarker(SeriesMarkers.NONE);
        area.setShowInLegend(false);
      }
      XYSeries line = chart.addSeries(label, curve.steps(), curve.mean());
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setLineColor(color).setLineWidth(2f);
      line.setMarker(curve.size() <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE).setMarkerColor(color);
    }
    return chart;
  }

  private static List<MetricHistory.Series> series(List<RunResult> runs, String metric) {
    return runs.stream().map(r -> r.history().get(metric)).filter(s -> s.size() > 0).toList();
  }

  /**
   * The lowest and highest head at each step (each head's curve averaged over seeds first), or null
   * with fewer than two heads or when the heads' curves are not on the layer curve's steps.
   */
  static double[][] headBand(List<RunResult> runs, int layer, double[] steps) {
    double[] lo = new double[steps.length];
    double[] hi = new double[steps.length];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    int heads = 0;
    for (int h = 0; ; h++) {
      List<MetricHistory.Series> seeds = series(runs, AttentionEntropy.METRIC + "/L" + layer + "H" + h);
      if (seeds.isEmpty()) {
        break;
      }
      SeedCurve head = SeedCurve.of(seeds, MAX_POINTS);
      if (!Arrays.equals(head.steps(), steps)) {
        return null;
      }
      for (int k = 0; k < steps.length; k++) {
        lo[k] = Math.min(lo[k], head.mean()[k]);
        hi[k] = Math.max(hi[k], head.mean()[k]);
      }
      heads++;
    }
    return heads < 2 ? null : new double[][] {lo, hi};
  }

  /** x forward then backward: the x of a closed polygon. */
  private static double[] around(double[] x) {
    return around(x, x);
  }

  /** {@code upper} forward, then {@code lower} backward: a closed polygon between them. */
  private static double[] around(double[] lower, double[] upper) {
    int n = upper.length;
    double[] out = new double[2 * n];
    for (int i = 0; i < n; i++) {
      out[i] = upper[i];
      out[2 * n - 1 - i] = lower[i];
    }
    return out;
  }
}
