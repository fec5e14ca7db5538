package io.ablate.plugins.transformer.norm;

import static io.ablate.testkit.NormalizationContract.Capability.*;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Normalization;
import io.ablate.testkit.NormalizationContract;
import java.util.List;
import java.util.Map;
import java.util.Set;

class LayerNormContractTest extends NormalizationContract<LayerNorm.Config> {
  @Override
  protected ComponentFactory<LayerNorm.Config, Normalization> factory() {
    return LayerNorm.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(PADDING_INVARIANT, POSITION_WISE, STANDARDISES_POSITIONS);
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("eps", 1e-3));
  }
}
