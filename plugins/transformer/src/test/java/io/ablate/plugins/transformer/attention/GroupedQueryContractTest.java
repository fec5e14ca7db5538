package io.ablate.plugins.transformer.attention;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Attention;
import io.ablate.testkit.AttentionContract;
import java.util.Set;

class GroupedQueryContractTest extends AttentionContract<GroupedQueryAttention.Config> {
  @Override
  protected ComponentFactory<GroupedQueryAttention.Config, Attention> factory() {
    return GroupedQueryAttention.GQA;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.CROSS, Capability.CAPTURES_WEIGHTS);
  }

  /** Four query heads over two key/value heads. */
  @Override
  protected io.ablate.spi.model.Dims dims() {
    return new io.ablate.spi.model.Dims(8, 4);
  }

  @Override
  protected java.util.List<java.util.Map<String, Object>> exampleOptions() {
    return java.util.List.of(java.util.Map.of("kv_heads", 2), java.util.Map.of());
  }

  @Override
  protected Set<String> refusedPositionals() {
    return Set.of();
  }
}
