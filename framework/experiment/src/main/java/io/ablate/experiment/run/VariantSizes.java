package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.model.ModelContext;
import io.ablate.core.model.ParameterStore;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.Sections;
import io.ablate.experiment.spec.Variant;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.RunState;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.spi.text.Tokenizer;
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
      ComponentSpec taskSpec = Sections.task(v.config());
      ComponentSpec tokenizerSpec = Sections.tokenizer(v.config());
      ModelIO io = ios.computeIfAbsent(List.of(taskSpec, tokenizerSpec), k -> io(registry, taskSpec, tokenizerSpec,
          seed));
      try (BuiltModel model = new ModelBuilder(registry).build(Sections.architecture(v.config()), io, seed,
          TokenCorpus.EMPTY, DataType.FLOAT)) {
        sizes.put(v.name(), model.parameterCount());
      }
    }
    return sizes;
  }

  /** The model inputs a task setup gives (its tokenizer trained first where it learns from text). */
  public static ModelIO io(Registry registry, ComponentSpec taskSpec, ComponentSpec tokenizerSpec, long seed) {
    try (Rng rng = new Rng(seed)) {
      ModelContext setup = new ModelContext(registry, new ParameterStore(DataType.FLOAT, rng), null, new RunState(),
          rng, TokenCorpus.EMPTY);
      Task task = registry.create(Family.TASK, taskSpec, setup, "base.task");
      Tokenizer tokenizer = registry.create(Family.TOKENIZER, tokenizerSpec, setup, "base.tokenizer");
      if (tokenizer instanceof TextTokenizer text) {
        text.train(task.trainingText());
      }
      return task.prepare(tokenizer, seed);
    }
  }
}
