package io.ablate.plugins.transformer.norm;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Normalization;

/** {@code none}: the identity, to ablate normalisation away entirely. */
public final class NoNormalization {
  /** {@code none} has no options. */
  public record Config() {}

  /** The identity normalisation. */
  public static final Normalization IDENTITY = (x, valid) -> x;

  public static final ComponentFactory<Config, Normalization> FACTORY = Factories.of(Family.NORMALIZATION, "none",
      "No normalisation: the identity", Config.class, (config, context) -> IDENTITY);

  private NoNormalization() {}
}
