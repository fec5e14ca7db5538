package io.ablate.plugins.architectures.encoder;

import static io.ablate.testkit.ArchitectureContract.Capability.PADDING;
import static io.ablate.testkit.ArchitectureContract.Capability.PERMUTATION_EQUIVARIANT_WITHOUT_POSITIONS;

import io.ablate.plugins.architectures.TestBatches;
import io.ablate.plugins.architectures.block.TextModelConfig;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.ModelIO;
import io.ablate.testkit.ArchitectureContract;
import java.util.Map;
import java.util.Set;

/**
 * Masked-token prediction with batchnorm (statistics over real tokens; running statistics in the
 * checkpoint), relu feed-forward and an untied output projection.
 */
class EncoderMaskedLmContractTest extends ArchitectureContract<TextModelConfig> {
  @Override
  protected ComponentFactory<TextModelConfig, Model> factory() {
    return Encoder.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(PADDING, PERMUTATION_EQUIVARIANT_WITHOUT_POSITIONS);
  }

  @Override
  protected Map<String, Object> tinyOptions() {
    return Map.of("d_model", 16, "layers", 1, "heads", 2, "norm", "batchnorm", "ffn", "relu",
        "tied_embeddings", false);
  }

  @Override
  protected ModelIO io() {
    return ModelIO.maskedLm(12, 8);
  }

  @Override
  protected Batch batch(long seed) {
    return TestBatches.maskedLm(seed, 12, 7, 7, 5);
  }
}
