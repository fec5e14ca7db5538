package io.ablate.plugins.transformer.positional;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.Set;

class RotaryContractTest extends PositionalContract<Rotary.Config> {
  @Override
  protected ComponentFactory<Rotary.Config, PositionalEncoding> factory() {
    return Rotary.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.QUERY_KEY, Capability.RELATIVE, Capability.NORM_PRESERVING, Capability.LENGTH_EXTRAPOLATION);
  }
}
