package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code ablate finish SPEC}: the summary, report and MLflow statistics of a study whose cells ran on
 * a cluster; the Slurm executor submits it as a job that starts when the array has ended. Exit 1
 * while some cell is not done.
 */
@Command(name = "finish", mixinStandardHelpOptions = true,
    description = "Write the summary and report of a study whose cells ran on a cluster (trains nothing).")
public final class FinishCommand implements Callable<Integer> {
  @Mixin
  StudyOptions study;

  @Mixin
  PluginPathOption pluginPath;

  @Mixin
  TrackingOptions tracking;

  @Mixin
  CellStateOption state;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Registry registry = Wiring.registry(pluginPath.directories());
    StudySpec s = SpecLoader.load(study.spec, study.sets);
    StudyPlan plan = study.plan(s, registry);
    if (state.mlflow()) {
      StudyFinish.download(plan, tracking, spec.commandLine().getOut());
    }
    return StudyFinish.finish(plan, registry, tracking, spec.commandLine().getOut()) == 0 ? 0 : 1;
  }
}
