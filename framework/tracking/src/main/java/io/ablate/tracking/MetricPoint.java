package io.ablate.tracking;

/**
 * One value of a metric, as MLflow stores it.
 *
 * @param key the MLflow metric key (see {@link MlflowNames#metric})
 * @param timestamp milliseconds since the epoch
 */
public record MetricPoint(String key, double value, long timestamp, long step) {}
