package io.ablate.experiment.track;

import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.RunDirectory;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.tracking.MetricPoint;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.StoredRun;
import io.ablate.tracking.TrackingException;
import io.ablate.tracking.TrackingStore;
import io.ablate.tracking.TrackingUri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cells of a study as a tracking server records them, for clusters without a shared folder
 * ({@code --state mlflow}): a cell's seed run is the one tagged with its key ({@code ablate.key}, the
 * run's identity hash over config, seed and code version); FINISHED is its done marker (set last, after
 * its record, tokenizer and checkpoint were uploaded as artifacts), FAILED a recorded failure, RUNNING
 * or KILLED an attempt a retry re-attaches to. A snapshot: {@link #refresh} reads the server again.
 */
public final class MlflowCells implements AutoCloseable {
  /** The artifacts that make a results folder's run folder again ({@code run.json} first: it decides). */
  private static final List<String> FILES = List.of("run.json", "config.json", "tokenizer.txt");

  private final StudyPlan plan;
  private final TrackingStore store;
  private final String experiment;
  private Map<String, StoredRun> byKey = Map.of();

  private MlflowCells(StudyPlan plan, TrackingStore store, String experiment) {
    this.plan = plan;
    this.store = store;
    this.experiment = experiment;
  }

  /**
   * The study's cells on the server {@code uri} (already resolved), in {@code experiment}.
   *
   * @throws IllegalArgumentException when {@code uri} is not a tracking server (every node must reach it)
   * @throws TrackingException when the server does not answer
   */
  public static MlflowCells open(StudyPlan plan, String uri, String experiment) {
    if (!uri.matches("(?i)^https?://.*")) {
      throw new IllegalArgumentException("--state mlflow needs a tracking server that every node reaches "
          + "(--tracking-uri http://host:5000), not " + uri);
    }
    MlflowCells cells = new MlflowCells(plan, TrackingUri.open(uri).orElseThrow(), experiment);
    cells.refresh();
    return cells;
  }

  /** Reads the study's seed runs from the server again. */
  public void refresh() {
    Map<String, StoredRun> runs = new HashMap<>();
    Optional<String> id = store.findExperiment(experiment);
    if (id.isPresent()) {
      for (StoredRun r : store.runs(id.get())) {
        String key = r.tag(TrackingStore.KEY_TAG);
        if (key != null && r.tag(StudyTracking.SEED) != null) {
          runs.merge(key, r, MlflowCells::better);
        }
      }
    }
    byKey = runs;
  }

  /** Of two runs with one key (should never be), the done one, else the newer. */
  private static StoredRun better(StoredRun a, StoredRun b) {
    boolean aDone = a.status() == RunStatus.FINISHED || a.status() == RunStatus.FAILED;
    boolean bDone = b.status() == RunStatus.FINISHED || b.status() == RunStatus.FAILED;
    if (aDone != bDone) {
      return aDone ? a : b;
    }
    return a.startTime() >= b.startTime() ? a : b;
  }

  public String describe() {
    return store.describe();
  }

  /** The cell's seed run, if an attempt ever started it. */
  public Optional<StoredRun> run(RunSpec cell) {
    return Optional.ofNullable(byKey.get(cell.hash()));
  }

  /** FINISHED: done; FAILED: recorded as failed; RUNNING: an attempt is (or was, if it died) at work; else pending. */
  public Cells.State state(RunSpec cell) {
    RunStatus status = run(cell).map(StoredRun::status).orElse(null);
    if (status == null) {
      return Cells.State.PENDING;
    }
    return switch (status) {
      case FINISHED -> Cells.State.DONE;
      case FAILED -> Cells.State.FAILED;
      case RUNNING -> Cells.State.RUNNING;
      case KILLED -> Cells.State.PENDING;
    };
  }

  public boolean done(RunSpec cell) {
    Cells.State s = state(cell);
    return s == Cells.State.DONE || s == Cells.State.FAILED;
  }

  /**
   * The last step each metric of the cell's run has on the server (MLflow metric keys): a retry that
   * re-attaches to the run logs only later steps, so no step is there twice.
   */
  public Map<String, Long> loggedSteps(RunSpec cell) {
    Map<String, Long> last = new LinkedHashMap<>();
    run(cell).ifPresent(r -> {
      for (String key : r.latest().keySet()) {
        for (MetricPoint p : store.history(r.id(), key)) {
          last.merge(key, p.step(), Math::max);
        }
      }
    });
    return last;
  }

  /**
   * Writes a done cell's run folder from its artifacts and metric history ({@code run.json},
   * {@code config.json}, {@code tokenizer.txt}, {@code metrics.jsonl}; the checkpoint stays on the
   * server) and its done marker, so that {@code ablate finish} reports it as if trained here.
   *
   * @return false when the cell is not done on the server or its record was never uploaded
   */
  public boolean download(RunSpec cell) {
    Optional<StoredRun> r = run(cell).filter(x -> done(cell));
    if (r.isEmpty()) {
      return false;
    }
    RunDirectory dir = plan.directory(cell);
    try {
      Files.createDirectories(dir.path());
      for (String file : FILES) {
        Path tmp = dir.file(file + ".download.tmp");
        try {
          store.downloadArtifact(r.get().id(), file, tmp);
        } catch (TrackingException e) {
          if (e.retryable()) {
            throw e;
          }
          if (file.equals("run.json")) {
            return false;
          }
          continue;
        }
        Files.move(tmp, dir.file(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      Path tmp = dir.file("metrics.jsonl.download.tmp");
      TrackedStudy.writeHistory(store, r.get(), tmp);
      Files.move(tmp, dir.file("metrics.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.path(), e);
    }
    dir.read().ifPresent(record -> Cells.markDone(dir, record));
    return true;
  }

  /** Delivers an outbox an earlier attempt on this machine left behind; the bytes still undelivered. */
  public long deliver(Path outbox, java.time.Duration wait) {
    return io.ablate.tracking.Tracker.sync(outbox, store, wait);
  }

  @Override
  public void close() {
    store.close();
  }
}
