package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.run.StudyValidator;
import io.ablate.experiment.run.VariantSizes;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.spec.Variant;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code ablate plan SPEC}: every variant × seed that would run, its size, and what is already done. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "List every variant × seed a study would run, with parameter counts, FLOPs per token and status.")
public final class PlanCommand implements Callable<Integer> {
  @Mixin
  StudyOptions study;

  @Mixin
  PluginPathOption pluginPath;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Registry registry = Wiring.registry(pluginPath.directories());
    StudySpec s = SpecLoader.load(study.spec, study.sets);
    StudyPlan plan = StudyPlan.of(s, study.resultsRoot());
    StudyValidator.validate(s, plan.variants(), registry);
    Map<String, Long> sizes = VariantSizes.of(plan, registry);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("study %s: %d variants × %d seeds = %d runs; results in %s%n", s.study(), plan.variants().size(),
        s.seeds().size(), plan.runs().size(), plan.dir());
    out.printf("%-48s %6s %12s %14s  %-10s %s%n", "variant", "seed", "parameters", "FLOPs/token", "status", "cell");
    int done = 0;
    for (RunSpec run : plan.runs()) {
      Variant v = run.variant();
      String status = plan.directory(run).read().map(RunRecord::status).orElse("to run");
      if (!"to run".equals(status) && !RunRecord.RUNNING.equals(status)) {
        done++;
      }
      long params = sizes.get(v.name());
      out.printf("%-48s %6d %,12d %,14d  %-10s %s%s%n", v.name(), run.seed(), params, 6 * params, status,
          Cells.id(plan, run), v == plan.baseline() ? "  (baseline)" : "");
    }
    out.printf("%d of %d runs done. FLOPs/token ≈ 6 × parameters (forward + backward).%n", done, plan.runs().size());
    out.flush();
    return 0;
  }
}
