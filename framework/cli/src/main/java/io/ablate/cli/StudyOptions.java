package io.ablate.cli;

import io.ablate.core.plugin.Registry;
import io.ablate.experiment.run.ParameterMatching;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.run.StudyValidator;
import io.ablate.experiment.spec.StudySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code run} and {@code plan} share: the spec, {@code --set} overrides and the results folder. */
public final class StudyOptions {
  @Parameters(index = "0", paramLabel = "SPEC", description = "The study spec (YAML), e.g. experiments/quickstart.yaml.")
  Path spec;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a spec value by path, e.g. --set base.train.steps=100 (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--results-dir", paramLabel = "DIR", description = "Where results go (default: results/ next to "
      + "the launcher); the study's own folder is DIR/<study>.")
  Path resultsDir;

  @Option(names = "--max-runs", paramLabel = "N", defaultValue = "10000",
      description = "Refuse a design that expands to more runs than this (default: ${DEFAULT-VALUE}).")
  long maxRuns;

  /**
   * The plan every command runs, plans or checks: the spec's runs within {@code --max-runs}, validated,
   * with {@code match: params} applied (it changes the variants' configs and so their run ids, which must be
   * the same on every machine).
   */
  StudyPlan plan(StudySpec spec, Registry registry) {
    StudyPlan designed = StudyPlan.of(spec, resultsRoot(), maxRuns);
    StudyValidator.validate(spec, designed.variants(), registry);
    return ParameterMatching.apply(designed, registry);
  }

  Path resultsRoot() {
    if (resultsDir != null) {
      return resultsDir;
    }
    String home = System.getProperty("ablate.home");
    return home == null ? Path.of("results") : Path.of(home, "results");
  }
}
