package io.ablate.testkit;

import io.ablate.core.Wiring;
import io.ablate.core.model.ModelContext;
import io.ablate.core.model.ParameterStore;
import io.ablate.core.plugin.Registry;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.RunState;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Build contexts for tests, backed by the registry of every plugin on the test class path (the
 * plugin under test and the built-ins it composes with).
 */
public final class TestModels {
  private static Registry registry;

  private TestModels() {}

  public static synchronized Registry registry() {
    if (registry == null) {
      registry = Wiring.builtins();
    }
    return registry;
  }

  /** A fresh context with its own parameters, seeded; the caller closes {@code rng} when done. */
  public static ModelContext context(Dims dims, ModelIO io, DataType type, Rng rng) {
    return new ModelContext(registry(), new ParameterStore(type, rng), io, new RunState(), rng, TokenCorpus.EMPTY)
        .withDims(dims);
  }
}
