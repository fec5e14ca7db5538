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

/** A [CLS] classifier, two post-LN blocks of rmsnorm and swiglu. */
class EncoderClassificationContractTest extends ArchitectureContract<TextModelConfig> {
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
    return Map.of("d_model", 16, "layers", 2, "heads", 2, "norm", "rmsnorm", "placement", "post", "ffn", "swiglu");
  }

  @Override
  protected ModelIO io() {
    return ModelIO.classification(12, 3, 8);
  }

  @Override
  protected Batch batch(long seed) {
    return TestBatches.classification(seed, 12, 3, 6, 6, 4);
  }
}
