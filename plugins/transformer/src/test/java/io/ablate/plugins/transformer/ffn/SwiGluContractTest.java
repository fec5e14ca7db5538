package io.ablate.plugins.transformer.ffn;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.FeedForward;
import io.ablate.testkit.FeedForwardContract;
import java.util.List;
import java.util.Map;

class SwiGluContractTest extends FeedForwardContract<SwiGlu.Config> {
  @Override
  protected ComponentFactory<SwiGlu.Config, FeedForward> factory() {
    return SwiGlu.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("hidden", 12, "dropout", 0.1));
  }
}
