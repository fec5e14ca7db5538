package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.run.Provenance;
import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.run.Tuning;
import io.ablate.experiment.run.VariantCost;
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
    StudyPlan plan = study.plan(s, registry);
    Map<String, VariantCost> sizes = VariantSizes.of(plan, registry);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("study %s: %d variants × %d seeds = %d runs; results in %s%n", s.study(), plan.variants().size(),
        s.seeds().size(), plan.runs().size(), plan.dir());
    out.printf("%-48s %6s %12s %14s  %-10s %s%n", "variant", "seed", "parameters", "FLOPs/token", "status", "cell");
    int done = 0;
    int stale = 0;
    for (RunSpec run : plan.runs()) {
      Variant v = run.variant();
      java.util.Optional<RunRecord> record = plan.directory(run).read();
      String status = record.map(r -> RunRecord.label(r.status())).orElse("to run");
      if (record.isPresent() && record.get().done()) {
        done++;
      }
      if (record.isPresent() && Provenance.stale(record.get())) {
        stale++;
        status += " (stale: trained by " + new Provenance(record.get().gitCommit(),
            Boolean.TRUE.equals(record.get().gitDirty())).shortForm() + ")";
      }
      VariantCost cost = sizes.get(v.name());
      out.printf("%-48s %6d %,12d %,14.0f  %-10s %s%s%n", v.name(), run.seed(), cost.parameters(),
          cost.flopsPerToken(), status, Cells.id(plan, run), baseline(v, plan) ? "  (baseline)" : "");
    }
    out.printf("%d of %d runs done. FLOPs/token: training, 6 × parameters + attention matmuls.%n", done,
        plan.runs().size());
    if (stale > 0) {
      out.printf("%d finished runs were trained by other code than this (%s); `ablate run --rerun-stale` trains "
          + "them again.%n", stale, Provenance.current().shortForm());
    }
    out.flush();
    return 0;
  }

  /** The baseline, or with {@code tune:} one of its trials. */
  private static boolean baseline(Variant v, StudyPlan plan) {
    String name = Tuning.isTrial(v.name()) ? Tuning.variant(v.name()) : v.name();
    return name.equals(plan.baseline().name());
  }
}
