package io.ablate.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * {@code attention_<variant>.png}: heat maps of the attention weights a run captured on one
 * example ({@code attention.json}, see {@code AttentionSample}): a layers × heads grid when it has
 * at most {@value #MAX_PANELS} panels, else the heads of the last layer. Rows are query positions
 * (top = first), columns key positions; colour 0 (white) … 1 (navy), the same scale in every panel. Sequences longer than
 * {@value #MAX_POSITIONS} are cut to their first {@value #MAX_POSITIONS} positions.
 */
final class AttentionPlot {
  static final int PANEL = 320;
  static final int MAX_PANELS = 16;
  static final int MAX_COLUMNS = 4;
  static final int MAX_POSITIONS = 48;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A sequential white-to-navy scale ("Blues"): zero weights, masked keys included, fade into the page. */
  private static final Color[] SCALE = {new Color(0xFFFFFF), new Color(0xC6DBEF), new Color(0x6BAED6),
      new Color(0x2171B5), new Color(0x08306B)};

  private AttentionPlot() {}

  /** One captured layer: its path and weights [H][Tq][Tk]. */
  record Layer(String path, double[][][] heads) {}

  /** What {@code attention.json} holds. */
  record Sample(List<String> queryLabels, List<String> keyLabels, List<Layer> layers) {}

  static String fileName(String variant) {
    return "attention_" + variant.replaceAll("[^A-Za-z0-9=,._-]", "_") + ".png";
  }

  /**
   * The grid (rows, columns) of panels drawn for a sample: one row per layer when several layers
   * are shown, else the heads of one layer, {@value #MAX_COLUMNS} per row.
   */
  static int[] grid(Sample sample) {
    List<Layer> shown = shown(sample);
    if (shown.size() > 1) {
      return new int[] {shown.size(), shown.stream().mapToInt(l -> l.heads().length).max().orElse(1)};
    }
    int heads = shown.get(0).heads().length;
    int columns = Math.min(MAX_COLUMNS, heads);
    return new int[] {(heads + columns - 1) / columns, columns};
  }

  private static List<Layer> shown(Sample sample) {
    int all = sample.layers().stream().mapToInt(l -> l.heads().length).sum();
    return all <= MAX_PANELS ? sample.layers() : List.of(sample.layers().get(sample.layers().size() - 1));
  }

  static Sample read(Path file) throws IOException {
    JsonNode doc = JSON.readTree(file.toFile());
    List<Layer> layers = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("layers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      layers.add(new Layer(e.getKey(), JSON.treeToValue(e.getValue(), double[][][].class)));
    }
    List<String> pieces = strings(doc.path("pieces"));
    List<String> decoderPieces = strings(doc.path("decoder_pieces"));
    return new Sample(decoderPieces.isEmpty() ? pieces : decoderPieces, pieces, layers);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Writes the heat maps of {@code run}'s capture, if it has one with at least one layer. */
  static Optional<Path> write(RunResult run, Path dir) throws IOException {
    if (run.attention() == null) {
      return Optional.empty();
    }
    Sample sample = read(run.attention());
    if (sample.layers().isEmpty()) {
      return Optional.empty();
    }
    List<HeatMapChart> charts = new ArrayList<>();
    int[] grid = grid(sample);
    List<Layer> shown = shown(sample);
    for (Layer layer : shown) {
      for (int h = 0; h < layer.heads().length; h++) {
        charts.add(panel(layer.path() + " · head " + h, layer.heads()[h], sample));
      }
      while (charts.size() % grid[1] != 0) {
        charts.add(blank());                  // a layer with fewer heads ends its row blank
      }
    }
    Path file = dir.resolve(fileName(run.variant()));
    ChartStyle.png(charts, grid[1], file);
    return Optional.of(file);
  }

  private static HeatMapChart panel(String title, double[][] weights, Sample sample) {
    int tq = Math.min(weights.length, MAX_POSITIONS);
    int tk = weights.length == 0 ? 0 : Math.min(weights[0].length, MAX_POSITIONS);
    HeatMapChart chart = new HeatMapChartBuilder().width(PANEL).height(PANEL).title(shorten(title))
        .xAxisTitle("key   (white 0 → navy 1)").yAxisTitle("query").build();
    ChartStyle.apply(chart.getStyler());
    var s = chart.getStyler();
    s.setLegendVisible(false);
    s.setRangeColors(SCALE);
    s.setMin(0).setMax(1);
    s.setPlotContentSize(1.0);
    s.setAxisTickLabelsFont(new Font(Font.MONOSPACED, Font.PLAIN, tk > 24 ? 7 : 9));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
    s.setXAxisLabelRotation(90);
    List<String> keys = labels(sample.keyLabels(), weights.length == 0 ? 0 : weights[0].length, tk);
    List<String> queries = labels(sample.queryLabels(), weights.length, tq);
    // the heat map draws its first y category at the bottom: list queries last-to-first so row 0 is on top
    List<String> yLabels = new ArrayList<>(queries);
    java.util.Collections.reverse(yLabels);
    List<Number[]> cells = new ArrayList<>(tq * tk);
    for (int q = 0; q < tq; q++) {
      for (int k = 0; k < tk; k++) {
        cells.add(new Number[] {k, tq - 1 - q, weights[q][k]});
      }
    }
    chart.addSeries("attention", keys, yLabels, cells);
    return chart;
  }

  /** Position labels {@code i:token} when the tokens match the axis, else the position. */
  private static List<String> labels(List<String> pieces, int full, int shown) {
    List<String> out = new ArrayList<>(shown);
    for (int i = 0; i < shown; i++) {
      String piece = pieces.size() == full ? pieces.get(i) : null;
      out.add(piece == null ? String.valueOf(i) : i + ":" + printable(piece));
    }
    return out;
  }

  private static String printable(String piece) {
    String p = piece.replace(' ', '␣').replace("\n", "⏎").replace("\t", "⇥");
    return p.length() > 6 ? p.substring(0, 5) + "…" : p;
  }

  private static HeatMapChart blank() {
    HeatMapChart chart = new HeatMapChartBuilder().width(PANEL).height(PANEL).title(" ").build();
    ChartStyle.apply(chart.getStyler());
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setAxisTicksVisible(false);
    chart.getStyler().setPlotBorderVisible(false);
    chart.addSeries(" ", List.of(" "), List.of(" "), List.<Number[]>of(new Number[] {0, 0, 0}));
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, Color.WHITE});
    return chart;
  }

  private static String shorten(String title) {
    return title.length() <= 44 ? title : "…" + title.substring(title.length() - 43);
  }
}
