package io.ablate.plugins.transformer.attention;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Attention;
import io.ablate.testkit.AttentionContract;
import java.util.Set;

class LinearContractTest extends AttentionContract<LinearAttention.Config> {
  @Override
  protected ComponentFactory<LinearAttention.Config, Attention> factory() {
    return LinearAttention.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.CROSS);
  }

  @Override
  protected Set<String> refusedPositionals() {
    return Set.of("shaw-relative", "t5-bias", "alibi");
  }
}
