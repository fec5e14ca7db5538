package io.ablate.tracking;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where runs are recorded: an MLflow tracking server ({@link RestStore}) or a local folder in
 * MLflow's file-store layout ({@link FileStore}). Writes may throw {@link TrackingException}.
 */
public interface TrackingStore extends AutoCloseable {
  /** The tag that identifies a run across attempts: a resumed study finds its runs by it. */
  String KEY_TAG = "ablate.key";

  /**
   * The experiment tag MLflow 3's UI reads to choose its view: {@link #EXPERIMENT_KIND} opens an
   * experiment on its runs and charts, not on GenAI traces. Set on the experiments Ablate creates,
   * and on one it logs to that has no kind yet.
   */
  String EXPERIMENT_KIND_TAG = "mlflow.experimentKind";
  String EXPERIMENT_KIND = "custom_model_development";

  /** A printable name of the destination, without credentials. */
  String describe();

  /** The id of the experiment with this name, created if needed; it carries {@link #EXPERIMENT_KIND_TAG}. */
  String experiment(String name);

  Optional<String> findExperiment(String name);

  /** The active run of the experiment whose {@link #KEY_TAG} is {@code key}, if any. */
  Optional<String> findRun(String experimentId, String key);

  String createRun(String experimentId, String name, long startTime, Map<String, String> tags);

  /** Within MLflow's log-batch limits (the caller splits). */
  void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags);

  void setStatus(String runId, RunStatus status, Long endTime);

  /** Stores {@code file} as the artifact {@code dir/<file name>} of the run ({@code dir} may be empty). */
  void uploadArtifact(String runId, String dir, Path file);

  List<StoredRun> runs(String experimentId);

  List<MetricPoint> history(String runId, String key);

  /** The artifact at {@code path} of the run, written to {@code target}. */
  void downloadArtifact(String runId, String path, Path target);

  @Override
  default void close() {}
}
