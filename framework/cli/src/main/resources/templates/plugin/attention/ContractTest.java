package {{package}};

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Attention;
import io.ablate.testkit.AttentionContract;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance kit's attention contract: shapes for self- and cross-attention, no leakage from
 * later positions under a causal mask, padded keys ignored, finite-difference gradients of the inputs
 * and every parameter, seeded initialisation, composition with every registered positional encoding,
 * captured weights — and the checks every component meets (name, config round-trip, unknown keys,
 * registration). What makes this variant different is tested in {@code {{Class}}Test}.
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

  /** What this component claims; the kit skips the tests of the other capabilities, visibly. */
  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(Capability.CROSS, Capability.CAPTURES_WEIGHTS);
  }
}
