package io.ablate.plugins.architectures.vit;

import static io.ablate.testkit.ArchitectureContract.Capability.PERMUTATION_EQUIVARIANT_WITHOUT_POSITIONS;

import io.ablate.plugins.architectures.TestBatches;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.ModelIO;
import io.ablate.testkit.ArchitectureContract;
import java.util.Map;
import java.util.Set;

/** Four patches of 12 values, three classes. */
class VisionTransformerContractTest extends ArchitectureContract<VisionTransformer.Config> {
  @Override
  protected ComponentFactory<VisionTransformer.Config, Model> factory() {
    return VisionTransformer.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(PERMUTATION_EQUIVARIANT_WITHOUT_POSITIONS);
  }

  @Override
  protected Map<String, Object> tinyOptions() {
    return Map.of("d_model", 16, "layers", 1, "heads", 2);
  }

  @Override
  protected ModelIO io() {
    return ModelIO.imageClassification(12, 4, 3);
  }

  @Override
  protected Batch batch(long seed) {
    return TestBatches.images(seed, 2, 4, 12, 3);
  }
}
