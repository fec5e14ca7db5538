package io.ablate.plugins.transformer.positional;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.Set;

class NoneContractTest extends PositionalContract<NoPositional.Config> {
  @Override
  protected ComponentFactory<NoPositional.Config, PositionalEncoding> factory() {
    return NoPositional.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.LENGTH_EXTRAPOLATION);
  }
}
