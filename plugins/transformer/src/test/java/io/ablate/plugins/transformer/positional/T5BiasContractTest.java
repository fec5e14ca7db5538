package io.ablate.plugins.transformer.positional;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.Set;

class T5BiasContractTest extends PositionalContract<T5Bias.Config> {
  @Override
  protected ComponentFactory<T5Bias.Config, PositionalEncoding> factory() {
    return T5Bias.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.SCORES, Capability.RELATIVE, Capability.LENGTH_EXTRAPOLATION);
  }
}
