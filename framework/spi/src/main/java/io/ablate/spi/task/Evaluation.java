package io.ablate.spi.task;

import io.ablate.spi.Experimental;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one evaluation: scalar metrics, and for classification the predictions from which
 * the framework computes accuracy, macro-F1 and the confusion matrix.
 *
 * @param metrics name → value, e.g. {@code loss}, {@code exact_match}, {@code exact_match@len=24},
 *     {@code perplexity}, {@code bits_per_char}
 * @param predictions for classification tasks, else null
 */
@Experimental
public record Evaluation(Map<String, Double> metrics, Predictions predictions) {
  public Evaluation {
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  public static Evaluation of(Map<String, Double> metrics) {
    return new Evaluation(metrics, null);
  }

  /**
   * @param predicted predicted class index per example
   * @param actual true class index per example
   * @param labels class names by index
   */
  public record Predictions(int[] predicted, int[] actual, List<String> labels) {}
}
