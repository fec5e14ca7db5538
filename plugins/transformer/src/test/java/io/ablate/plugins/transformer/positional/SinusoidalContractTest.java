package io.ablate.plugins.transformer.positional;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.Set;

class SinusoidalContractTest extends PositionalContract<Sinusoidal.Config> {
  @Override
  protected ComponentFactory<Sinusoidal.Config, PositionalEncoding> factory() {
    return Sinusoidal.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.INPUT, Capability.LENGTH_EXTRAPOLATION);
  }
}
