package {{package}};

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.FeedForward;
import io.ablate.testkit.FeedForwardContract;
import java.util.List;
import java.util.Map;

/**
 * The conformance kit's feed-forward contract: shape, finite-difference gradients of the input and
 * every parameter (each must take part in the output), position-wise action, seeded initialisation.
 */
class {{Class}}ContractTest extends FeedForwardContract<{{Class}}.Config> {
  @Override
  protected ComponentFactory<{{Class}}.Config, FeedForward> factory() {
    return {{Class}}.FACTORY;
  }

  /** Options as a study writes them; every test runs with the first, some with all. */
  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("hidden", 12, "bias", false));
  }
}
