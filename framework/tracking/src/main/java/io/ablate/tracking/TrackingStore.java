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

  /** A printable name of the destination, without credentials. */
  String describe();

  /** The id of the experiment with this name, created if needed. */
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
