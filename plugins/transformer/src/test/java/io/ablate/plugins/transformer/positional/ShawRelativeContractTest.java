package io.ablate.plugins.transformer.positional;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.Set;

class ShawRelativeContractTest extends PositionalContract<ShawRelative.Config> {
  @Override
  protected ComponentFactory<ShawRelative.Config, PositionalEncoding> factory() {
    return ShawRelative.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.SCORES, Capability.RELATIVE, Capability.LENGTH_EXTRAPOLATION);
  }
}
