package {{package}};

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance kit's positional contract (hook shapes, composition with attention, relative
 * scores, …) and the checks every component meets (name, config round-trip, unknown keys,
 * registration). What makes this encoding different is tested in {@code {{Class}}Test}.
 */
class {{Class}}ContractTest extends PositionalContract<{{Class}}.Config> {
  @Override
  protected ComponentFactory<{{Class}}.Config, PositionalEncoding> factory() {
    return {{Class}}.FACTORY;
  }

  /** Options as a study writes them; every test runs with the first, some with all. */
  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("slope", 0.5));
  }
{{capabilitiesMethod}}}
