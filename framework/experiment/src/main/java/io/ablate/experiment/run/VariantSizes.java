package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.Sections;
import io.ablate.experiment.spec.Variant;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/** Parameter count of every variant, building each model once (tokenizers trained once per task setup). */
public final class VariantSizes {
  private VariantSizes() {}

  public static Map<String, Long> of(StudyPlan plan, Registry registry) {
    Map<List<ComponentSpec>, ModelIO> ios = new HashMap<>();
    Map<String, Long> sizes = new LinkedHashMap<>();
    long seed = plan.spec().seeds().get(0);
    for (Variant v : plan.variants()) {
      ModelIO io = ios.computeIfAbsent(List.of(Sections.task(v.config()), Sections.tokenizer(v.config())), k -> {
        try (Rng rng = new Rng(seed)) {
          return TaskSetup.prepare(registry, v.config(), seed, rng, false).io();
        }
      });
      try (BuiltModel model = new ModelBuilder(registry).build(Sections.architecture(v.config()), io, seed,
          TokenCorpus.EMPTY, DataType.FLOAT)) {
        sizes.put(v.name(), model.parameterCount());
      }
    }
    return sizes;
  }
}
