package io.ablate.plugins.transformer.attention;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Attention;
import io.ablate.testkit.AttentionContract;
import java.util.Set;

class MultiHeadContractTest extends AttentionContract<MultiHeadAttention.Config> {
  @Override
  protected ComponentFactory<MultiHeadAttention.Config, Attention> factory() {
    return MultiHeadAttention.FACTORY;
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
