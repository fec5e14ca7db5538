package io.ablate.experiment.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The look shared by the report's charts: a colour-blind-safe palette, fonts, and PNG output. */
final class ChartStyle {
  /** Okabe–Ito colours (without yellow, too pale on white), then Tableau tones for larger studies. */
  private static final Color[] PALETTE = {
      new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7), new Color(0xE69F00),
      new Color(0x56B4E9), new Color(0x000000), new Color(0x8C564B), new Color(0x7F7F7F), new Color(0xBCBD22),
      new Color(0x17BECF), new Color(0x9467BD)};

  static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
      new float[] {6f, 4f}, 0f);

  private ChartStyle() {}

  static Color color(int index) {
    Color base = PALETTE[index % PALETTE.length];
    return index < PALETTE.length ? base : base.darker();
  }

  static Color translucent(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  static void apply(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(new Color(0xBBBBBB));
    styler.setChartTitleBoxVisible(false);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setLegendBorderColor(new Color(0xDDDDDD));
    styler.setAntiAlias(true);
    styler.setChartPadding(8);
  }

  /** Line-chart defaults: legend below the plot, one entry per line, light grid. */
  static void apply(XYChart chart) {
    apply(chart.getStyler());
    var s = chart.getStyler();
    s.setLegendPosition(LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Vertical);
    s.setPlotGridLinesColor(new Color(0xEEEEEE));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setMarkerSize(6);
  }

  /** Height that leaves room for a vertical legend of {@code entries} lines below a plot of {@code plot} px. */
  static int heightWithLegend(int plot, int entries) {
    return plot + 24 + 18 * entries;
  }

  /** Writes charts side by side ({@code columns} per row) into one PNG, atomically. */
  static <T extends Chart<?, ?>> void png(List<T> charts, int columns, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      if (charts.size() == 1) {
        BitmapEncoder.saveBitmap(charts.get(0), out, BitmapEncoder.BitmapFormat.PNG);
      } else {
        int rows = (charts.size() + columns - 1) / columns;
        BitmapEncoder.saveBitmap(charts, rows, Math.min(columns, charts.size()), out, BitmapEncoder.BitmapFormat.PNG);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
