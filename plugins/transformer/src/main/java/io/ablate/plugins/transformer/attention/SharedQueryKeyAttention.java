package io.ablate.plugins.transformer.attention;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;

/**
 * {@code shared-qk}: one projection for queries and keys (W_Q = W_K), the ablation behind "why
 * separate W_Q and W_K?". Scores become a symmetric bilinear form x_i W Wᵀ x_j in self-attention, so
 * a token's score with itself is never negative. Options as {@code mha}. (Reformer, Kitaev et al.
 * 2020, shares W_Q and W_K too, and additionally normalises keys and masks a token's attention to
 * itself; neither is done here, to isolate the one change.)
 */
public final class SharedQueryKeyAttention {
  public static final ComponentFactory<MultiHeadAttention.Config, Attention> FACTORY = Factories.of(
      Family.ATTENTION, "shared-qk", "Multi-head attention with one projection for queries and keys (W_Q = W_K)",
      MultiHeadAttention.Config.class, (config, context) -> new ProjectedAttention(new ProjectedAttention.Options(
          config.scale(), config.bias(), config.dropout(), context.dims().heads(), true, 0), context));

  private SharedQueryKeyAttention() {}
}
