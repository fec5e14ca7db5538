package io.ablate.cli;

import io.ablate.bench.BenchModel;
import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.run.TaskSetup;
import io.ablate.experiment.spec.Sections;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.spec.Variant;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.tensor.Rng;
import java.nio.file.Path;
import java.util.List;

/** The baseline variant of a study spec as a {@link BenchModel}: its architecture, task inputs and batch size. */
final class StudyBenchModel {
  private StudyBenchModel() {}

  static BenchModel load(Path specFile, Registry registry, Path resultsRoot) {
    StudySpec spec = SpecLoader.load(specFile, List.of());
    StudyPlan plan = StudyPlan.of(spec, resultsRoot);
    Variant base = plan.baseline();
    long seed = spec.seeds().get(0);
    ModelIO io;
    try (Rng rng = new Rng(seed)) {
      io = TaskSetup.prepare(registry, base.config(), seed, rng, false).io();
    }
    if (io.objective() != Objective.LANGUAGE_MODEL) {
      throw new IllegalArgumentException(specFile + ": bench --spec trains on random token batches and supports "
          + "language-model tasks only; this study's task is " + io.objective().name().toLowerCase(java.util.Locale.ROOT));
    }
    ComponentSpec architecture = Sections.architecture(base.config());
    int batch = Sections.train(base.config()).batch();
    try (BuiltModel model = new ModelBuilder(registry).build(architecture, io, seed)) {
      return BenchModel.ofStudy(spec.study() + " (" + base.name() + ")", architecture, io, batch,
          model.parameterCount());
    }
  }
}
