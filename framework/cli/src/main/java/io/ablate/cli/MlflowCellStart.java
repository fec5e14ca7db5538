package io.ablate.cli;

import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.RunDirectory;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.track.MlflowCells;
import io.ablate.experiment.track.StudyTracking;
import io.ablate.tracking.Outbox;
import io.ablate.tracking.StoredRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The start of {@code run-cell --state mlflow}: the tracking server, not this node's folder, says whether
 * the cell is done. An outbox an earlier attempt on this node left is delivered first; a local record
 * the server does not confirm is scratch and is cleared, so the cell trains afresh and re-attaches to
 * its MLflow run.
 */
final class MlflowCellStart {
  private MlflowCellStart() {}

  /** The exit code when there is nothing to train (done on the server, or the server unreachable), else empty. */
  static Optional<Integer> prepare(MlflowCells server, StudyPlan plan, RunSpec run, long waitSeconds,
      PrintWriter out) {
    String id = Cells.id(plan, run);
    Path outbox = StudyTracking.cellOutbox(plan, run);
    if (!server.done(run) && Files.isRegularFile(outbox.resolve(Outbox.FILE))) {
      long left = server.deliver(outbox, Duration.ofSeconds(waitSeconds));
      if (left > 0) {
        System.err.printf("ablate run-cell: cell %s: %d KB of an earlier attempt's events are still undelivered to "
            + "%s; not trained (retry when the server answers)%n", id, Math.max(1, left / 1024), server.describe());
        return Optional.of(1);
      }
      server.refresh();
    }
    Optional<StoredRun> tracked = server.run(run);
    if (server.done(run)) {
      out.printf("cell %s: already %s in MLflow (run %s); nothing to train%n", id,
          tracked.get().status().name().toLowerCase(java.util.Locale.ROOT), tracked.get().id());
      out.flush();
      return Optional.of(server.state(run) == Cells.State.DONE ? 0 : RunCellCommand.FAILED);
    }
    RunDirectory dir = plan.directory(run);
    Optional<RunRecord> local = Cells.done(dir);
    if (local.isPresent()) {                  // done here, but the server never got it all: train again
      delete(dir.file("run.json"));
      delete(dir.file(Cells.DONE));
      deleteTree(outbox);
    }
    tracked.ifPresent(r -> out.printf("cell %s: re-attaching to MLflow run %s (%s)%n", id, r.id(),
        r.status().name().toLowerCase(java.util.Locale.ROOT)));
    out.flush();
    return Optional.empty();
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(MlflowCellStart::delete);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
