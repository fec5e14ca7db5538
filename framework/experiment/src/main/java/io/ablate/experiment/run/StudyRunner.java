package io.ablate.experiment.run;

import io.ablate.core.plugin.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a study's plan with {@code workers} runs at a time. A run already finished (or failed) with
 * the same identity is skipped; one that was interrupted restarts. Each run holds its {@link CellLease}
 * while it trains, so two processes (or machines, or {@code run-cell}s) on the same results folder never
 * train the same run twice.
 */
public final class StudyRunner {
  private final Trainer trainer;
  private final int workers;
  private boolean rerunStale;

  public StudyRunner(Registry registry, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
    }
    this.trainer = new Trainer(registry).threads(workers, 0);
    this.workers = workers;
  }

  /** A fixed thread count per run instead of the per-model choice; 0 restores the choice. */
  public StudyRunner threadsPerRun(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be at least 1 (or 0 to choose per model), got " + threads);
    }
    trainer.threads(workers, threads);
    return this;
  }

  /** What happened to each run of the plan, in plan order. */
  /** Also trains again the finished runs that other code trained ({@link Provenance#stale}). */
  public StudyRunner rerunStale(boolean on) {
    this.rerunStale = on;
    return this;
  }

  public record Outcome(RunSpec run, RunRecord record, boolean skipped) {}

  public List<Outcome> run(StudyPlan plan, RunListener listener) {
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "ablate-run");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (RunSpec run : plan.runs()) {
        futures.add(pool.submit(() -> runOnce(plan, run, listener)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a run crashed the runner: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whether a recorded run stands: done, and not stale when asked to retrain stale runs. */
  private boolean kept(RunRecord record) {
    return record.done() && !(rerunStale && Provenance.stale(record));
  }

  private Outcome runOnce(StudyPlan plan, RunSpec run, RunListener listener) {
    RunDirectory dir = plan.directory(run);
    Optional<RunRecord> before = dir.read();
    if (before.isPresent() && kept(before.get())) {
      listener.ended(run, before.get());
      return new Outcome(run, before.get(), true);
    }
    Optional<CellLease> lease = CellLease.tryAcquire(dir.path(), CellLease.DEFAULT_TIMEOUT, () -> System.err.println(
        "ablate: the lease of " + run.id() + " was taken over by another process (" + CellLease.holder(dir.path())
            .orElse("?") + ") while this one trained it; its results will be overwritten"));
    if (lease.isEmpty()) {
      return new Outcome(run, dir.read().orElse(null), true);   // another process (or machine) is training it
    }
    try (CellLease held = lease.get()) {
      Optional<RunRecord> done = dir.read().filter(this::kept);   // finished elsewhere between the check and the lease
      if (done.isPresent()) {
        listener.ended(run, done.get());
        return new Outcome(run, done.get(), true);
      }
      return new Outcome(run, trainer.run(run, dir, listener, plan.spec().metrics()), false);
    }
  }
}
