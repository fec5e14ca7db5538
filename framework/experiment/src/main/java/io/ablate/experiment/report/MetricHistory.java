package io.ablate.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every logged value of one run, per metric, read from its {@code metrics.jsonl}
 * ({@code {"step": …, "name": …, "value": …, "time": …}} per line). Non-finite values are logged as
 * strings ({@code "NaN"}, {@code "Infinity"}) and read back as doubles; a torn last line (a run
 * killed while writing) is ignored.
 */
public final class MetricHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One metric's values in log order. */
  public record Series(long[] steps, double[] values) {
    public int size() {
      return steps.length;
    }
  }

  private final Map<String, Series> series;

  private MetricHistory(Map<String, Series> series) {
    this.series = series;
  }

  public static MetricHistory empty() {
    return new MetricHistory(Map.of());
  }

  /** Reads a run's log; a missing file gives an empty history. */
  public static MetricHistory read(Path file) {
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    Map<String, Builder> builders = new LinkedHashMap<>();
    List<Integer> skipped = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (IOException torn) {
          skipped.add(number);
          continue;
        }
        if (node == null || !node.hasNonNull("name") || !node.hasNonNull("step") || !node.has("value")) {
          skipped.add(number);
          continue;
        }
        builders.computeIfAbsent(node.get("name").asText(), k -> new Builder())
            .add(node.get("step").asLong(), value(node.get("value")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (!skipped.isEmpty()) {
      org.slf4j.LoggerFactory.getLogger(MetricHistory.class).warn("{}: skipped {} unreadable line(s) {} (cut short "
          + "by a crash, or edited?); the other values are used", file, skipped.size(),
          skipped.size() > 10 ? skipped.subList(0, 10) + "…" : skipped);
    }
    Map<String, Series> out = new LinkedHashMap<>();
    builders.forEach((name, b) -> out.put(name, b.build()));
    return new MetricHistory(out);
  }

  private static double value(JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    try {
      return Double.parseDouble(v.asText());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  public Set<String> names() {
    return series.keySet();
  }

  /** The metric's values, or an empty series. */
  public Series get(String name) {
    Series s = series.get(name);
    return s == null ? new Series(new long[0], new double[0]) : s;
  }

  public boolean has(String name) {
    return series.containsKey(name);
  }

  private static final class Builder {
    long[] steps = new long[16];
    double[] values = new double[16];
    int n;

    void add(long step, double value) {
      if (n == steps.length) {
        steps = Arrays.copyOf(steps, n * 2);
        values = Arrays.copyOf(values, n * 2);
      }
      steps[n] = step;
      values[n] = value;
      n++;
    }

    Series build() {
      return new Series(Arrays.copyOf(steps, n), Arrays.copyOf(values, n));
    }
  }
}
