package io.ablate.plugins.transformer.positional;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.Set;

class AlibiContractTest extends PositionalContract<Alibi.Config> {
  @Override
  protected ComponentFactory<Alibi.Config, PositionalEncoding> factory() {
    return Alibi.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.SCORES, Capability.RELATIVE, Capability.LENGTH_EXTRAPOLATION);
  }
}
