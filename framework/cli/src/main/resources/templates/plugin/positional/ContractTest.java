package {{package}};

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance kit's positional contract: exactly the claimed hooks and the others the identity,
 * hook outputs of the documented shapes, composition with the built-in attentions, finite-difference
 * gradients, determinism, and the properties claimed below — and the checks every component meets
 * (name, config round-trip, unknown keys, registration). What makes this encoding different is
 * tested in {@code {{Class}}Test}.
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

  /** What this encoding claims; the kit skips the tests of the other capabilities, visibly. */
  @Override
  protected Set<Capability> capabilities() {
    // not claimed: INPUT, QUERY_KEY, NORM_PRESERVING
    return EnumSet.of(Capability.SCORES, Capability.RELATIVE, Capability.LENGTH_EXTRAPOLATION);
  }
}
