package io.ablate.experiment.run;

import java.util.Map;

/**
 * What a run directory's {@code run.json} holds: identity, resolved config, provenance, outcome.
 *
 * @param status {@code running}, {@code finished} or {@code failed}
 * @param failure why a failed run failed (with the step), else null
 * @param metrics the last value of every metric
 */
public record RunRecord(
    String study, String run, String variant, Map<String, Object> factors, long seed, String hash,
    String codeVersion, Map<String, String> pluginVersions, Map<String, Object> config, String status,
    String failure, Long failedStep, long parameters, double flopsPerToken, String backend, double wallSeconds,
    double tokensPerSecond, long steps, Map<String, Double> metrics, String started, String ended) {

  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String FAILED = "failed";

  public boolean finished() {
    return FINISHED.equals(status);
  }

  public boolean done() {
    return FINISHED.equals(status) || FAILED.equals(status);
  }
}
