package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.StudyInfo;
import io.ablate.experiment.run.CellLease;
import io.ablate.experiment.run.CellRunner;
import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.RunListener;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.track.MlflowCells;
import io.ablate.experiment.track.StudyTracking;
import io.ablate.tracking.TrackingException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ablate run-cell SPEC --cell ID}: trains one variant × seed of a study, as {@code ablate run}
 * records it, at most once across processes and machines sharing the results folder (Slurm array
 * tasks and Spark tasks run this). Exit codes: 0 the cell finished (now or before), 3 it is recorded
 * as failed (a diverged run: a result, not to retry), 75 another live process holds it ({@code --no-wait}).
 * With {@code --state mlflow} the tracking server, not a shared folder, says whether the cell is done
 * ({@link MlflowCellStart}); exit 1 when the server could not be told everything (the engine retries).
 */
@Command(name = "run-cell", mixinStandardHelpOptions = true,
    description = "Train one cell (variant × seed, id from `ablate plan`) of a study, once across machines sharing "
        + "the results folder.")
public final class RunCellCommand implements Callable<Integer> {
  static final int FAILED = 3;
  static final int BUSY = 75;
  /** When the lease is taken over while this process trains: it stops at once, writing nothing more. */
  static final int LOST = 76;

  @Mixin
  StudyOptions study;

  @Mixin
  PluginPathOption pluginPath;

  @Mixin
  TrackingOptions tracking;

  @Mixin
  CellStateOption state;

  @Option(names = "--cell", required = true, paramLabel = "ID", description = "The cell, as `ablate plan` lists it "
      + "(or the first 8+ hex digits of its hash).")
  String cell;

  @Option(names = "--lease-timeout", paramLabel = "SECONDS", defaultValue = "60", description = "A cell whose lease "
      + "was not refreshed for this long is taken over (its holder died); default ${DEFAULT-VALUE}.")
  long leaseTimeout;

  @Option(names = "--no-wait", description = "Exit (75) instead of waiting when another live process trains the cell.")
  boolean noWait;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (leaseTimeout < 1) {
      throw new IllegalArgumentException("--lease-timeout must be at least 1 second, got " + leaseTimeout);
    }
    exitWithParent();
    if (state.mlflow() && study.resultsDir == null) {
      study.resultsDir = CellStateOption.scratch();       // no shared folder: this node's own
    }
    Registry registry = Wiring.registry(pluginPath.directories());
    StudySpec s = SpecLoader.load(study.spec, study.sets);
    StudyPlan plan = study.plan(s, registry);
    RunSpec run = Cells.find(plan, cell);
    PrintWriter out = spec.commandLine().getOut();
    String id = Cells.id(plan, run);
    Map<String, Long> logged = Map.of();
    if (state.mlflow()) {
      try (MlflowCells server = CellStateOption.cells(plan, tracking)) {
        Optional<Integer> done = MlflowCellStart.prepare(server, plan, run, tracking.waitSeconds, out);
        if (done.isPresent()) {
          return done.get();
        }
        logged = server.loggedSteps(run);
      } catch (TrackingException e) {
        System.err.printf("ablate run-cell: cell %s: the tracking server does not answer (%s); not trained%n", id,
            e.getMessage());
        return 1;
      }
    }
    Map<String, Long> loggedBefore = logged;
    boolean[] delivered = {true};
    var before = Cells.done(plan.directory(run));
    if (before.isPresent()) {
      out.printf("cell %s: already %s; nothing to train%n", id, RunRecord.label(before.get().status()));
      out.flush();
      return code(before.get());
    }
    if (!Files.isRegularFile(plan.dir().resolve(StudyInfo.FILE))) {
      StudyInfo.write(plan);
    }
    CellRunner.Tracking tracked = new CellRunner.Tracking() {
      private StudyTracking tracker;

      @Override
      public RunListener open() {
        tracker = StudyTracking.open(plan, tracking.uri, tracking.experiment, TrackingOptions.defaultStore(),
            StudyTracking.cellOutbox(plan, run)).orElse(null);
        if (tracker != null) {
          tracker.resume(run, loggedBefore);
        }
        return tracker == null ? RunListener.NONE : tracker;
      }

      @Override
      public void close() {
        if (tracker != null && !tracker.close(Duration.ofSeconds(tracking.waitSeconds))) {
          delivered[0] = false;
          out.printf("tracking: %s is not reachable; this cell's events stay in %s for `ablate finish` or "
              + "`ablate sync`%n", tracker.destination(), StudyTracking.cellOutbox(plan, run));
        }
      }
    };
    Runnable lost = () -> {
      System.err.printf("ablate run-cell: the lease of cell %s was taken over by %s (this process was presumed "
          + "dead); stopping without writing more%n", id, CellLease.holder(plan.directory(run).path()).orElse("?"));
      Runtime.getRuntime().halt(LOST);
    };
    out.printf("cell %s: training (study %s, results %s)%n", id, s.study(), plan.dir());
    out.flush();
    CellRunner.Outcome outcome = new CellRunner(registry, Duration.ofSeconds(leaseTimeout))
        .run(plan, run, tracked, !noWait, lost);
    if (outcome.record() == null) {
      out.printf("cell %s: another process trains it (%s)%n", id,
          CellLease.holder(plan.directory(run).path()).orElse("?"));
      out.flush();
      return BUSY;
    }
    RunRecord r = outcome.record();
    out.printf("cell %s: %s%s%s%n", id, outcome.trained() ? "" : "done by another process: ", RunRecord.label(r.status()),
        r.failure() == null ? "" : " (" + r.failure() + ")");
    out.flush();
    if (state.mlflow() && !delivered[0]) {
      System.err.printf("ablate run-cell: cell %s: trained, but its MLflow run (the done marker with --state mlflow) "
          + "is not complete on the server; exit 1 so that the engine retries it%n", id);
      return 1;
    }
    return code(r);
  }

  /**
   * Under a Spark executor ({@code ABLATE_EXIT_WITH_PID}): ends this process at once when that executor is gone
   * (kill -9, a lost node), so that no orphan keeps training while Spark retries the cell elsewhere.
   */
  private static void exitWithParent() {
    String pid = System.getenv("ABLATE_EXIT_WITH_PID");
    if (pid == null || !pid.matches("\\d+")) {
      return;
    }
    Thread watch = new Thread(() -> {
      while (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
      System.err.println("ablate run-cell: the process that started this cell (pid " + pid + ") is gone; stopping");
      Runtime.getRuntime().halt(LOST);
    }, "ablate-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private static int code(RunRecord record) {
    return record.finished() ? 0 : FAILED;
  }
}
