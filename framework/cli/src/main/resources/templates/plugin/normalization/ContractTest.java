package {{package}};

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Normalization;
import io.ablate.testkit.NormalizationContract;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance kit's normalisation contract: shape, finite-difference gradients of the input and
 * every parameter in training and evaluation mode, determinism, state that survives a checkpoint, and
 * the behaviours claimed in {@link #capabilities()} (the tests of the others are skipped, visibly).
 */
class {{Class}}ContractTest extends NormalizationContract<{{Class}}.Config> {
  @Override
  protected ComponentFactory<{{Class}}.Config, Normalization> factory() {
    return {{Class}}.FACTORY;
  }

  /** Options as a study writes them; every test runs with the first, some with all. */
  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("eps", 1e-3));
  }

  /** What this component claims; the kit skips the tests of the other capabilities, visibly. */
  @Override
  protected Set<Capability> capabilities() {
    // not claimed: TRAIN_EVAL_DIFFER, STANDARDISES_POSITIONS, STANDARDISES_FEATURES_OVER_REAL_TOKENS
    return EnumSet.of(Capability.PADDING_INVARIANT, Capability.POSITION_WISE, Capability.UNIT_RMS_PER_POSITION);
  }
}
