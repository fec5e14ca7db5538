package io.ablate.tracking;

import java.util.Map;

/**
 * A run read back from a tracking store.
 *
 * @param latest each metric's latest value (largest step, then latest timestamp), as MLflow reports it
 * @param endTime milliseconds since the epoch, or null while running
 */
public record StoredRun(String id, String experimentId, String name, RunStatus status, long startTime, Long endTime,
    Map<String, String> tags, Map<String, String> params, Map<String, Double> latest) {

  public String tag(String key) {
    return tags.get(key);
  }
}
