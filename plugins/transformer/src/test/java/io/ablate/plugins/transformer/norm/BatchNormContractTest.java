package io.ablate.plugins.transformer.norm;

import static io.ablate.testkit.NormalizationContract.Capability.*;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Normalization;
import io.ablate.testkit.NormalizationContract;
import java.util.List;
import java.util.Map;
import java.util.Set;

class BatchNormContractTest extends NormalizationContract<BatchNorm.Config> {
  @Override
  protected ComponentFactory<BatchNorm.Config, Normalization> factory() {
    return BatchNorm.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(PADDING_INVARIANT, TRAIN_EVAL_DIFFER, STANDARDISES_FEATURES_OVER_REAL_TOKENS);
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("momentum", 0.3, "eps", 1e-3));
  }
}
