package io.ablate.plugins.transformer.ffn;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.FeedForward;
import io.ablate.testkit.FeedForwardContract;
import java.util.List;
import java.util.Map;

class GeluFeedForwardContractTest extends FeedForwardContract<MlpConfig> {
  @Override
  protected ComponentFactory<MlpConfig, FeedForward> factory() {
    return GeluFeedForward.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("hidden", 12, "dropout", 0.1));
  }
}
