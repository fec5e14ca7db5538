package io.ablate.experiment.run;

import io.ablate.experiment.spec.SpecException;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.spec.Variant;
import io.ablate.experiment.spec.Variants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runs of a study in execution order: seed by seed, every variant within a seed, so that a
 * partly run study already compares every variant.
 *
 * @param variants what runs: the design's variants, or with {@code tune:} their trials ({@link Tuning})
 * @param baseline the design's variant the others are compared with
 * @param dir {@code <results>/<study>/}
 */
public record StudyPlan(StudySpec spec, List<Variant> variants, Variant baseline, List<RunSpec> runs, Path dir) {
  /** Refused above this many runs unless raised ({@code --max-runs}): a grid typo can multiply into millions. */
  public static final long DEFAULT_MAX_RUNS = 10_000;

  public static StudyPlan of(StudySpec spec, Path resultsRoot) {
    return of(spec, resultsRoot, DEFAULT_MAX_RUNS);
  }

  public static StudyPlan of(StudySpec spec, Path resultsRoot, long maxRuns) {
    long count = Variants.times(Variants.count(spec), spec.seeds().size());
    if (count > maxRuns) {
      throw new SpecException(spec.locate(spec.design().grid().isEmpty() ? "ablate" : "ablate.grid"), "ablate",
          "the design expands to " + count + " runs (variants × " + spec.seeds().size() + " seeds), more than the "
          + "limit of " + maxRuns + "; remove levels or raise the limit with --max-runs");
    }
    List<Variant> designed = Variants.expand(spec);
    Variant baseline = Variants.baseline(spec, designed);
    List<Variant> variants = Tuning.trials(spec, designed);
    List<RunSpec> runs = new ArrayList<>();
    for (long seed : spec.seeds()) {
      for (Variant v : variants) {
        runs.add(RunKeys.spec(spec.study(), v, seed));
      }
    }
    return new StudyPlan(spec, variants, baseline, runs, resultsRoot.resolve(spec.study()));
  }

  public RunDirectory directory(RunSpec run) {
    return new RunDirectory(dir, run);
  }
}
