package io.ablate.spi.task;

import io.ablate.spi.Experimental;

/**
 * A metric a task reports, declared so that summaries, plots and reports rank variants the right way
 * without guessing from the name (a plugin's {@code cer} is lower-is-better, its {@code bleu} higher).
 *
 * @param name as it appears in {@link Evaluation#metrics()}, e.g. {@code exact_match}
 * @param higherIsBetter whether a larger value is a better model
 * @param perLength whether it is also reported per length or context, as {@code name@len=N}
 *     ({@code name@ctx=N}); those share this declaration
 */
@Experimental
public record Metric(String name, boolean higherIsBetter, boolean perLength) {
  /**
   * Prefix of the same metric measured on the validation split ({@code val/exact_match}): selection
   * (tuning) reads it, reports show the unprefixed test value. It shares the declaration of {@code name}.
   */
  public static final String VALIDATION = "val/";

  public Metric {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("a metric name is lower_snake_case, got '" + name + "'");
    }
  }

  /** A metric where larger is better (accuracy, exact match). */
  public static Metric higher(String name) {
    return new Metric(name, true, false);
  }

  /** A metric where smaller is better (loss, error rate, perplexity). */
  public static Metric lower(String name) {
    return new Metric(name, false, false);
  }

  /** This metric, also reported per length or context ({@code name@len=N}). */
  public Metric perLengthToo() {
    return new Metric(name, higherIsBetter, true);
  }

  /** The declared name of a reported metric: without its split prefix and its {@code @len=N} suffix. */
  public static String baseName(String reported) {
    String name = reported.startsWith(VALIDATION) ? reported.substring(VALIDATION.length()) : reported;
    int at = name.indexOf('@');
    return at < 0 ? name : name.substring(0, at);
  }

  /**
   * Whether {@code reported} ({@code exact_match}, {@code exact_match@len=8}, {@code val/exact_match})
   * is this metric.
   */
  public boolean matches(String reported) {
    if (reported.startsWith(VALIDATION)) {
      reported = reported.substring(VALIDATION.length());
    }
    int at = reported.indexOf('@');
    return at < 0 ? reported.equals(name) : perLength && reported.substring(0, at).equals(name);
  }
}
