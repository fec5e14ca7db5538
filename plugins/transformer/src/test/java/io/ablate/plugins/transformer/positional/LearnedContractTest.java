package io.ablate.plugins.transformer.positional;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.testkit.PositionalContract;
import java.util.Set;

class LearnedContractTest extends PositionalContract<LearnedPositional.Config> {
  @Override
  protected ComponentFactory<LearnedPositional.Config, PositionalEncoding> factory() {
    return LearnedPositional.FACTORY;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.INPUT);
  }
}
