package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.StudyInfo;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.track.MlflowCells;
import io.ablate.experiment.track.StudyTracking;
import io.ablate.tracking.TrackingException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * {@code ablate run --executor slurm|spark}: the driver. It checks the engine first (nothing is
 * written when it is missing), expands the spec into cells, leaves out finished ones, starts the
 * variants' MLflow parent runs (so cells on many machines find them instead of racing to create them),
 * and hands the rest to the engine.
 */
final class ClusterRun {
  private ClusterRun() {}

  static int run(ExecutorOptions executor, CellStateOption state, StudyOptions study, PluginPathOption plugins,
      TrackingOptions tracking, PrintWriter out) throws Exception {
    if (executor.leaseTimeout < 1) {
      throw new IllegalArgumentException("--lease-timeout must be at least 1 second, got " + executor.leaseTimeout);
    }
    if (executor.cpusPerCell < 1) {
      throw new IllegalArgumentException("--cpus-per-cell must be at least 1, got " + executor.cpusPerCell);
    }
    if (executor.executor == ExecutorOptions.Executor.slurm) {
      SlurmExecutor.sbatch();
    } else {
      SparkExecutor.preflight(executor);
    }
    Registry registry = Wiring.registry(plugins.directories());
    StudySpec s = SpecLoader.load(study.spec, study.sets);
    StudyPlan plan = study.plan(s, registry);
    boolean mlflow = state.mlflow();
    List<RunSpec> cells = mlflow ? unfinishedOnServer(plan, tracking) : StudyFinish.unfinished(plan);
    out.printf("study %s: %d variants × %d seeds = %d cells, %d to run → %s%n", s.study(), plan.variants().size(),
        s.seeds().size(), plan.runs().size(), cells.size(), plan.dir());
    out.flush();
    StudyInfo.write(plan);
    if (cells.isEmpty()) {
      out.println("every cell is done: nothing submitted");
      return finish(plan, registry, tracking, mlflow, out);
    }
    CellCommandLine command = CellCommandLine.of(study, plugins, tracking, plan, mlflow);
    if (executor.executor == ExecutorOptions.Executor.slurm) {
      if (!mlflow) {
        SharedFolder.checkForSlurm(plan.dir(), SlurmExecutor.sbatch(), executor.partition);
      }
      startVariants(plan, tracking, out);
      new SlurmExecutor(executor, command, mlflow).submit(plan, cells, out);
      return 0;
    }
    startVariants(plan, tracking, out);
    int left;
    try {
      left = new SparkExecutor(executor, command, mlflow ? () -> unfinishedOnServer(plan, tracking) : null)
          .run(plan, cells, out);
    } catch (IllegalArgumentException | java.io.IOException e) {
      failVariants(plan, tracking, e.getMessage());      // no parent run is left RUNNING by a study that never ran
      throw e;
    }
    int notDone = finish(plan, registry, tracking, mlflow, out);
    return left == 0 && notDone == 0 ? 0 : 1;
  }

  private static int finish(StudyPlan plan, Registry registry, TrackingOptions tracking, boolean mlflow,
      PrintWriter out) throws java.io.IOException {
    if (mlflow) {
      StudyFinish.download(plan, tracking, out);
    }
    return StudyFinish.finish(plan, registry, tracking, out) == 0 ? 0 : 1;
  }

  /** {@code --state mlflow}: the cells whose MLflow run is neither FINISHED nor FAILED. */
  static List<RunSpec> unfinishedOnServer(StudyPlan plan, TrackingOptions tracking) {
    try (MlflowCells server = CellStateOption.cells(plan, tracking)) {
      return plan.runs().stream().filter(r -> !server.done(r)).toList();
    } catch (TrackingException e) {
      throw new IllegalArgumentException("--state mlflow: the tracking server "
          + CellCommandLine.trackingUri(tracking, plan) + " does not answer (" + e.getMessage() + ")");
    }
  }

  /** The variants' parent runs, marked FAILED with the reason the study could not run. */
  private static void failVariants(StudyPlan plan, TrackingOptions tracking, String reason) {
    StudyTracking tracker = StudyTracking.open(plan, CellCommandLine.trackingUri(tracking, plan), tracking.experiment,
        null).orElse(null);
    if (tracker != null) {
      tracker.failVariants(reason);
      tracker.close(Duration.ofSeconds(tracking.waitSeconds));
    }
  }

  private static void startVariants(StudyPlan plan, TrackingOptions tracking, PrintWriter out) {
    StudyTracking tracker = StudyTracking.open(plan, CellCommandLine.trackingUri(tracking, plan), tracking.experiment,
        null).orElse(null);
    if (tracker == null) {
      return;
    }
    tracker.startVariants();
    if (!tracker.close(Duration.ofSeconds(tracking.waitSeconds))) {
      out.printf("tracking: %s is not reachable now; cells will log there when it is%n", tracker.destination());
    }
  }
}
