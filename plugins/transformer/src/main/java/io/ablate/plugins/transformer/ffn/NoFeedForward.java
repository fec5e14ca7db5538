package io.ablate.plugins.transformer.ffn;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.FeedForward;

/**
 * {@code none}: no MLP. The block's feed-forward branch adds zero, so a residual block is attention
 * only — the attention-only Transformers of Elhage et al. (2021) and Olsson et al. (2022).
 */
public final class NoFeedForward {
  /** {@code none} has no options. */
  public record Config() {}

  /** Zero for every input (B, T, D): x + ffn(norm(x)) = x. */
  public static final FeedForward ZERO = x -> x.mul(0.0);

  public static final ComponentFactory<Config, FeedForward> FACTORY = Factories.of(Family.FEEDFORWARD, "none",
      "No feed-forward layer (attention-only blocks): the branch adds zero", Config.class, (config, context) -> ZERO);

  private NoFeedForward() {}
}
