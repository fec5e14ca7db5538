package io.ablate.core.model;

import io.ablate.core.plugin.Registry;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.RunState;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Builds a model from an architecture spec: same spec and seed, same parameters and same dropout masks. */
public final class ModelBuilder {
  private final Registry registry;

  public ModelBuilder(Registry registry) {
    this.registry = registry;
  }

  public BuiltModel build(ComponentSpec architecture, ModelIO io, long seed) {
    return build(architecture, io, seed, TokenCorpus.EMPTY, DataType.FLOAT);
  }

  public BuiltModel build(ComponentSpec architecture, ModelIO io, long seed, TokenCorpus corpus, DataType type) {
    RunState state = new RunState();
    Rng rng = new Rng(seed);
    try {
      ParameterStore params = new ParameterStore(type, rng);
      ModelContext context = new ModelContext(registry, params, io, state, rng, corpus);
      Model model = context.create(Family.ARCHITECTURE, architecture);
      if (!model.objectives().contains(io.objective())) {
        throw new io.ablate.spi.ConfigException("architecture '" + architecture.type() + "' cannot be trained for "
            + io.objective().name().toLowerCase(java.util.Locale.ROOT) + "; it supports " + model.objectives());
      }
      params.parameters().flatten();
      return new BuiltModel(model, params, state, rng);
    } catch (RuntimeException | Error e) {
      rng.close();
      throw e;
    }
  }
}
