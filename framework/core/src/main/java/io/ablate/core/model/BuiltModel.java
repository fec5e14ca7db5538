package io.ablate.core.model;

import io.ablate.spi.model.Model;
import io.ablate.spi.model.RunState;
import io.ablate.tensor.Rng;

/**
 * A model with its parameters, its train/eval switch, and the seeded generator its components draw
 * from at run time (dropout, sampling). Close it to release the generator.
 */
public record BuiltModel(Model model, ParameterStore params, RunState state, Rng rng) implements AutoCloseable {
  public long parameterCount() {
    return params.parameters().count();
  }

  @Override
  public void close() {
    rng.close();
  }
}
