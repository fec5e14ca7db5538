package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.Sections;
import io.ablate.experiment.spec.Variant;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Parameter count and training FLOPs per token ({@link ModelCost}) of every variant, building each
 * model once (tokenizers trained once per task setup).
 */
public final class VariantSizes {
  private VariantSizes() {}

  public static Map<String, VariantCost> of(StudyPlan plan, Registry registry) {
    Map<String, VariantCost> sizes = new LinkedHashMap<>();
    Map<List<ComponentSpec>, Setup> setups = new HashMap<>();
    for (Variant v : plan.variants()) {
      sizes.put(v.name(), of(v.config(), plan.spec().seeds().get(0), registry, setups));
    }
    return sizes;
  }

  /** One configuration's size; {@code setups} caches prepared tasks by (task, tokenizer). */
  static VariantCost of(Map<String, Object> config, long seed, Registry registry,
      Map<List<ComponentSpec>, Setup> setups) {
    ComponentSpec taskSpec = Sections.task(config);
    ComponentSpec tokenizerSpec = Sections.tokenizer(config);
    Setup setup = setups.computeIfAbsent(List.of(taskSpec, tokenizerSpec), k -> setup(registry, config, seed));
    try (BuiltModel model = new ModelBuilder(registry).build(Sections.architecture(config), setup.io(), seed,
        TokenCorpus.EMPTY, DataType.FLOAT)) {
      return new VariantCost(model.parameterCount(), ModelCost.flopsPerToken(model, setup.task(), config, seed));
    }
  }

  /** One configuration's parameter count (no forward pass). */
  static long parameters(Map<String, Object> config, long seed, Registry registry,
      Map<List<ComponentSpec>, Setup> setups) {
    ComponentSpec taskSpec = Sections.task(config);
    ComponentSpec tokenizerSpec = Sections.tokenizer(config);
    Setup setup = setups.computeIfAbsent(List.of(taskSpec, tokenizerSpec), k -> setup(registry, config, seed));
    try (BuiltModel model = new ModelBuilder(registry).build(Sections.architecture(config), setup.io(), seed,
        TokenCorpus.EMPTY, DataType.FLOAT)) {
      return model.parameterCount();
    }
  }

  /** A prepared task and what the model reads and predicts. */
  record Setup(Task task, ModelIO io) {}

  private static Setup setup(Registry registry, Map<String, Object> config, long seed) {
    try (Rng rng = new Rng(seed)) {
      TaskSetup setup = TaskSetup.prepare(registry, config, seed, rng, false);
      return new Setup(setup.task(), setup.io());
    }
  }
}
