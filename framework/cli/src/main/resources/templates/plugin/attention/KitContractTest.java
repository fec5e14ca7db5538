package {{package}};

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Attention;
import io.ablate.testkit.AttentionContract;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance kit's attention contract (shapes, masks, gradients, positional hooks, …) and the
 * checks every component meets (name, config round-trip, unknown keys, registration). What makes this
 * variant different is tested in {@code {{Class}}Test}.
 */
class {{Class}}ContractTest extends AttentionContract<{{Class}}.Config> {
  @Override
  protected ComponentFactory<{{Class}}.Config, Attention> factory() {
    return {{Class}}.FACTORY;
  }

  /** Options as a study writes them; every test runs with the first, some with all. */
  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("temperature", 0.5, "bias", false));
  }
{{capabilitiesMethod}}}
