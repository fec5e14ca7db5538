package io.ablate.experiment.run;

import io.ablate.core.plugin.Registry;
import java.time.Duration;
import java.util.Optional;

/**
 * Trains one cell at most once across processes and machines sharing the results folder: under its
 * {@link CellLease}, re-checking after taking it that nobody finished it meanwhile; the done marker is
 * written last, after the tracker's delivery. The tracker is opened only under the lease: a cell's
 * outbox has one writer and one deliverer.
 */
public final class CellRunner {
  private final Trainer trainer;
  private final Duration leaseTimeout;

  public CellRunner(Registry registry, Duration leaseTimeout) {
    this.trainer = new Trainer(registry);
    this.leaseTimeout = leaseTimeout;
  }

  /** The tracking of the cell's run: opened when this process has the lease, closed before the done marker. */
  public interface Tracking {
    RunListener open();

    void close();

    Tracking NONE = new Tracking() {
      @Override
      public RunListener open() {
        return RunListener.NONE;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * What happened to the cell.
   *
   * @param record its record (null when another live process holds it and we did not wait)
   * @param trained whether this process trained it
   */
  public record Outcome(RunRecord record, boolean trained) {}

  /**
   * Trains the cell unless it is done. When another process holds its lease, waits (if {@code wait})
   * until that process finishes it or its lease goes stale and is taken over here.
   *
   * @param lost called when this process's lease is taken over while it trains (it must stop at once)
   */
  public Outcome run(StudyPlan plan, RunSpec run, Tracking tracking, boolean wait, Runnable lost)
      throws InterruptedException {
    RunDirectory dir = plan.directory(run);
    while (true) {
      Optional<RunRecord> done = Cells.done(dir);
      if (done.isPresent()) {
        return new Outcome(done.get(), false);
      }
      Optional<CellLease> lease = CellLease.tryAcquire(dir.path(), leaseTimeout, lost);
      if (lease.isPresent()) {
        try (CellLease held = lease.get()) {
          done = Cells.done(dir);                 // finished by another process between the check and the lease
          if (done.isPresent()) {
            return new Outcome(done.get(), false);
          }
          RunRecord record = trainer.run(run, dir, tracking.open(), plan.spec().metrics());
          tracking.close();
          if (held.held()) {
            Cells.markDone(dir, record);
          }
          return new Outcome(record, true);
        }
      }
      if (!wait) {
        return new Outcome(null, false);
      }
      Thread.sleep(Math.min(1000, Math.max(50, leaseTimeout.toMillis() / 4)));
    }
  }
}
