package io.ablate.plugins.architectures.decoder;

import static io.ablate.testkit.ArchitectureContract.Capability.CAUSAL;
import static io.ablate.testkit.ArchitectureContract.Capability.GENERATES;
import static io.ablate.testkit.ArchitectureContract.Capability.PADDING;

import io.ablate.plugins.architectures.TestBatches;
import io.ablate.plugins.architectures.block.TextModelConfig;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.ModelIO;
import io.ablate.testkit.ArchitectureContract;
import java.util.Map;
import java.util.Set;

/** The decoder with defaults but tiny: pre-LN layernorm, gelu, sinusoidal positions, tied embeddings. */
class DecoderContractTest extends ArchitectureContract<TextModelConfig> {
  @Override
  protected ComponentFactory<TextModelConfig, Model> factory() {
    return Decoder.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(CAUSAL, PADDING, GENERATES);
  }

  @Override
  protected Map<String, Object> tinyOptions() {
    return Map.of("d_model", 16, "layers", 1, "heads", 2);
  }

  @Override
  protected ModelIO io() {
    return ModelIO.languageModel(12, 8);
  }

  @Override
  protected Batch batch(long seed) {
    return TestBatches.languageModel(seed, 12, 6, 6, 4);
  }
}
