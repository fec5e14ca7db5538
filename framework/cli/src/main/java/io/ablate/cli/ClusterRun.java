package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.StudyInfo;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.track.StudyTracking;
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

  static int run(ExecutorOptions executor, StudyOptions study, PluginPathOption plugins, TrackingOptions tracking,
      PrintWriter out) throws Exception {
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
    List<RunSpec> cells = StudyFinish.unfinished(plan);
    out.printf("study %s: %d variants × %d seeds = %d cells, %d to run → %s%n", s.study(), plan.variants().size(),
        s.seeds().size(), plan.runs().size(), cells.size(), plan.dir());
    out.flush();
    StudyInfo.write(plan);
    if (cells.isEmpty()) {
      out.println("every cell is done: nothing submitted");
      return StudyFinish.finish(plan, registry, tracking, out) == 0 ? 0 : 1;
    }
    CellCommandLine command = CellCommandLine.of(study, plugins, tracking, plan);
    startVariants(plan, tracking, out);
    if (executor.executor == ExecutorOptions.Executor.slurm) {
      new SlurmExecutor(executor, command).submit(plan, cells, out);
      return 0;
    }
    int left = new SparkExecutor(executor, command).run(plan, cells, out);
    int notDone = StudyFinish.finish(plan, registry, tracking, out);
    return left == 0 && notDone == 0 ? 0 : 1;
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
