package io.ablate.experiment.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code learning_curves.png}: training loss against step (left) and the primary evaluation metric
 * against step (right), one line per variant = mean over its finished seeds, with a shaded band
 * from the lowest to the highest seed.
 */
final class LearningCurvesPlot {
  static final String FILE = "learning_curves.png";
  static final String TRAIN_LOSS = "train_loss";
  static final int PANEL_WIDTH = 720;
  static final int PLOT_HEIGHT = 420;
  private static final int MAX_POINTS = 400;

  private LearningCurvesPlot() {}

  /** The size the PNG will have for a study with {@code variants} variants and {@code panels} panels. */
  static java.awt.Dimension size(int variants, int panels) {
    return new java.awt.Dimension(PANEL_WIDTH * panels, ChartStyle.heightWithLegend(PLOT_HEIGHT, variants));
  }

  /** Writes the plot when any variant has a logged curve; returns the file. */
  static Optional<Path> write(StudyResults results, Summary summary, Path dir) throws IOException {
    List<String> metrics = new ArrayList<>();
    metrics.add(TRAIN_LOSS);
    String primary = summary.primary();
    if (primary != null && !primary.isEmpty() && !primary.equals(TRAIN_LOSS)) {
      metrics.add(primary);
    }
    List<XYChart> charts = new ArrayList<>();
    int variants = results.info().variants().size();
    for (String metric : metrics) {
      XYChart chart = chart(results, metric, variants);
      if (chart != null) {
        charts.add(chart);
      }
    }
    if (charts.isEmpty()) {
      return Optional.empty();
    }
    Path file = dir.resolve(FILE);
    ChartStyle.png(charts, charts.size(), file);
    return Optional.of(file);
  }

  private static XYChart chart(StudyResults results, String metric, int variants) {
    XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(ChartStyle.heightWithLegend(PLOT_HEIGHT, variants))
        .title(metric + " (mean over seeds, band = min–max)").xAxisTitle("step").yAxisTitle(metric).build();
    ChartStyle.apply(chart);
    boolean any = false;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    List<String> names = results.info().variants();
    for (int i = 0; i < names.size(); i++) {
      String variant = names.get(i);
      List<MetricHistory.Series> series = results.finished(variant).stream().map(r -> r.history().get(metric))
          .filter(s -> s.size() > 0).toList();
      SeedCurve curve = SeedCurve.of(series, MAX_POINTS);
      Color color = ChartStyle.color(i);
      String label = variant + (variant.equals(results.info().baseline()) ? " (baseline)" : "") + "  n=" + series.size();
      if (curve.isEmpty()) {
        // keep the legend complete and the colours stable: an entry without points
        XYSeries empty = chart.addSeries(label + " (no finished run)", new double[] {Double.NaN}, new double[] {Double.NaN});
        empty.setLineColor(color);
        empty.setMarker(SeriesMarkers.NONE);
        continue;
      }
      any = true;
      if (series.size() > 1) {
        XYSeries band = chart.addSeries(variant + " band", envelopeX(curve), envelopeY(curve));
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(ChartStyle.translucent(color, 50));
        band.setLineColor(ChartStyle.translucent(color, 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
      }
      XYSeries line = chart.addSeries(label, curve.steps(), curve.mean());
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setLineColor(color).setLineWidth(2f);
      line.setMarker(curve.size() <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE).setMarkerColor(color);
      for (int k = 0; k < curve.size(); k++) {
        lo = Math.min(lo, curve.min()[k]);
        hi = Math.max(hi, curve.max()[k]);
      }
    }
    if (!any) {
      return null;
    }
    if (isFraction(metric)) {
      chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    } else if (lo > 0 && hi / lo > 20) {
      chart.getStyler().setYAxisLogarithmic(true);
      chart.setYAxisTitle(metric + " (log scale)");
    }
    return chart;
  }

  /** Metrics that live in [0, 1] get that axis, so that flat or tiny curves are not blown up. */
  static boolean isFraction(String metric) {
    String m = metric.toLowerCase(java.util.Locale.ROOT);
    return m.contains("match") || m.contains("accuracy") || m.contains("f1");
  }

  /** Along the max forward, then the min backward: a closed polygon around the seeds. */
  private static double[] envelopeX(SeedCurve c) {
    int n = c.size();
    double[] x = new double[2 * n];
    for (int i = 0; i < n; i++) {
      x[i] = c.steps()[i];
      x[2 * n - 1 - i] = c.steps()[i];
    }
    return x;
  }

  private static double[] envelopeY(SeedCurve c) {
    int n = c.size();
    double[] y = new double[2 * n];
    for (int i = 0; i < n; i++) {
      y[i] = c.max()[i];
      y[2 * n - 1 - i] = c.min()[i];
    }
    return y;
  }
}
