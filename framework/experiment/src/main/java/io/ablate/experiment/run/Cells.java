package io.ablate.experiment.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The cells of a study (one per run: a variant × seed) as machines of a cluster see them: an id
 * that is the same on every machine (the run's folder name: variant, seed and the first 8 hex digits
 * of its identity hash), and a state read from the shared results folder.
 */
public final class Cells {
  /** Written last, when a cell's results and tracking are complete: {@code finished} or {@code failed}. */
  public static final String DONE = "cell.done";

  /** Where a cell stands, as {@code ablate status} shows it. */
  public enum State { DONE, FAILED, RUNNING, PENDING }

  private Cells() {}

  /** The cell id of a run, e.g. {@code positional=rotary--seed-2-3fa2b1c0}. */
  public static String id(StudyPlan plan, RunSpec run) {
    return plan.directory(run).path().getFileName().toString();
  }

  /** The run with this cell id (or a unique prefix of ≥ 8 hex digits of its hash), else a clear error. */
  public static RunSpec find(StudyPlan plan, String id) {
    List<RunSpec> matches = plan.runs().stream()
        .filter(r -> id(plan, r).equals(id) || id.length() >= 8 && r.hash().startsWith(id)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    String known = String.join(", ", plan.runs().stream().limit(6).map(r -> id(plan, r)).toList())
        + (plan.runs().size() > 6 ? ", …" : "");
    throw new IllegalArgumentException(matches.isEmpty()
        ? "--cell " + id + ": no such cell in study " + plan.spec().study() + " (cells, as `ablate plan` lists them: "
            + known + ")"
        : "--cell " + id + ": matches " + matches.size() + " cells; give the whole id");
  }

  /** The stored record when the cell is done (its marker, else a finished or failed run.json), else empty. */
  public static Optional<RunRecord> done(RunDirectory dir) {
    Optional<RunRecord> record = dir.read();
    return record.filter(RunRecord::done);
  }

  /** Whether the done marker is there (written by {@code run-cell} after everything else). */
  public static boolean marked(RunDirectory dir) {
    return Files.isRegularFile(dir.file(DONE));
  }

  /** Writes the done marker atomically (a temporary name, then a rename). */
  public static void markDone(RunDirectory dir, RunRecord record) {
    Path tmp = dir.file(DONE + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.writeString(tmp, RunRecord.label(record.status()) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, dir.file(DONE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.file(DONE), e);
    }
  }

  public static State state(RunDirectory dir, Duration leaseTimeout) {
    Optional<RunRecord> record = dir.read();
    if (record.isPresent() && record.get().finished()) {
      return State.DONE;
    }
    if (record.isPresent() && record.get().done()) {
      return State.FAILED;
    }
    return CellLease.live(dir.path(), leaseTimeout) ? State.RUNNING : State.PENDING;
  }
}
