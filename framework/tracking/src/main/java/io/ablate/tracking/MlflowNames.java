package io.ablate.tracking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How Ablate's names and values become MLflow's, within MLflow's limits.
 *
 * <p>Metric names: MLflow allows letters, digits, {@code _ - . / :} and spaces, so the per-length
 * and per-context variants of Ablate's metrics are written {@code exact_match.len:24} for
 * {@code exact_match@len=24}; {@link #ablateMetric} reverses it (Ablate's metric names have no
 * '.' or ':' of their own). Not {@code exact_match/len:24}: in MLflow's file store a '/' makes a
 * folder, which would collide with the file of the metric {@code exact_match} itself.
 */
public final class MlflowNames {
  /** Longest param, metric and tag key MLflow accepts. */
  public static final int MAX_KEY = 250;
  /** Longest param value. */
  public static final int MAX_PARAM_VALUE = 6000;
  /** Longest tag value. */
  public static final int MAX_TAG_VALUE = 8000;
  /** log-batch limits. */
  public static final int MAX_METRICS_PER_BATCH = 1000;
  public static final int MAX_PARAMS_OR_TAGS_PER_BATCH = 100;
  public static final int MAX_ENTITIES_PER_BATCH = 1000;

  /** What replaces the cut-off tail of a too-long value. */
  public static final String TRUNCATED = "…[truncated; the full config is in the run's artifacts]";

  private MlflowNames() {}

  public static String metric(String ablateName) {
    return ablateName.replace('@', '.').replace('=', ':');
  }

  public static String ablateMetric(String mlflowKey) {
    return mlflowKey.replace('.', '@').replace(':', '=');
  }

  /** Params within MLflow's limits: too-long values end with {@link #TRUNCATED}; too-long keys are dropped. */
  public static Map<String, String> params(Map<String, String> params) {
    return limited(params, MAX_PARAM_VALUE);
  }

  public static Map<String, String> tags(Map<String, String> tags) {
    return limited(tags, MAX_TAG_VALUE);
  }

  private static Map<String, String> limited(Map<String, String> entries, int maxValue) {
    Map<String, String> out = new LinkedHashMap<>();
    entries.forEach((k, v) -> {
      if (k.length() <= MAX_KEY) {
        out.put(k, truncate(v == null ? "" : v, maxValue));
      }
    });
    return out;
  }

  static String truncate(String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    return value.substring(0, max - TRUNCATED.length()) + TRUNCATED;
  }
}
