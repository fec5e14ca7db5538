package io.ablate.plugins.transformer.attention;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Attention;
import io.ablate.testkit.AttentionContract;
import java.util.Set;

class MultiQueryContractTest extends AttentionContract<GroupedQueryAttention.MultiQueryConfig> {
  @Override
  protected ComponentFactory<GroupedQueryAttention.MultiQueryConfig, Attention> factory() {
    return GroupedQueryAttention.MQA;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.CROSS, Capability.CAPTURES_WEIGHTS);
  }

  @Override
  protected Set<String> refusedPositionals() {
    return Set.of();
  }
}
