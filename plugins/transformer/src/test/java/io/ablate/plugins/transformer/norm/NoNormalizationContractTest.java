package io.ablate.plugins.transformer.norm;

import static io.ablate.testkit.NormalizationContract.Capability.*;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Normalization;
import io.ablate.testkit.NormalizationContract;
import java.util.List;
import java.util.Map;
import java.util.Set;

class NoNormalizationContractTest extends NormalizationContract<NoNormalization.Config> {
  @Override
  protected ComponentFactory<NoNormalization.Config, Normalization> factory() {
    return NoNormalization.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(PADDING_INVARIANT, POSITION_WISE);
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of());
  }
}
