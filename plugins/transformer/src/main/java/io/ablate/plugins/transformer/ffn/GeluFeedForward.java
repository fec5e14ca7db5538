package io.ablate.plugins.transformer.ffn;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.FeedForward;
import io.ablate.tensor.Tensor;

/** {@code gelu}: Linear(D → hidden) · GELU · Linear(hidden → D). */
public final class GeluFeedForward {
  public static final ComponentFactory<MlpConfig, FeedForward> FACTORY = Factories.of(Family.FEEDFORWARD, "gelu",
      "Two-layer MLP with the exact GELU activation (Hendrycks & Gimpel 2016)", MlpConfig.class,
      (config, context) -> new Mlp(config, context, Tensor::gelu));

  private GeluFeedForward() {}
}
