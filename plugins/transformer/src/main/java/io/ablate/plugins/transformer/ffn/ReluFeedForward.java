package io.ablate.plugins.transformer.ffn;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.FeedForward;
import io.ablate.tensor.Tensor;

/** {@code relu}: Linear(D → hidden) · ReLU · Linear(hidden → D), as in Vaswani et al. 2017. */
public final class ReluFeedForward {
  public static final ComponentFactory<MlpConfig, FeedForward> FACTORY = Factories.of(Family.FEEDFORWARD, "relu",
      "Two-layer MLP with the ReLU activation (Vaswani et al. 2017)", MlpConfig.class,
      (config, context) -> new Mlp(config, context, Tensor::relu));

  private ReluFeedForward() {}
}
