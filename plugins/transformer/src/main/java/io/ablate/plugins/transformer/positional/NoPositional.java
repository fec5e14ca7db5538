package io.ablate.plugins.transformer.positional;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.PositionalEncoding;

/** {@code none}: no positional information; an encoder becomes permutation-equivariant. */
public final class NoPositional {
  /** {@code none} has no options. */
  public record Config() {}

  public static final ComponentFactory<Config, PositionalEncoding> FACTORY = Factories.of(Family.POSITIONAL, "none",
      "No positional information: a bag of tokens to the attention layers", Config.class,
      (config, context) -> PositionalEncoding.NONE);

  private NoPositional() {}
}
