package io.ablate.plugins.transformer.attention;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;

/**
 * {@code shared-qk}: one projection for queries and keys (W_Q = W_K), the ablation behind "why
 * separate W_Q and W_K?". Scores become a symmetric bilinear form x_i W Wᵀ x_j in self-attention, so
 * a token's score with itself is never negative. Options as {@code mha}. (Reformer, Kitaev et al.
 * 2020, shares W_Q and W_K too, and additionally normalises keys and masks a token's attention to
 * itself; neither is done here, to isolate the one change.)
 */
public final class SharedQueryKeyAttention implements Attention {
  public static final ComponentFactory<MultiHeadAttention.Config, Attention> FACTORY = Factories.of(
      Family.ATTENTION, "shared-qk", "Multi-head attention with one projection for queries and keys (W_Q = W_K)",
      MultiHeadAttention.Config.class, SharedQueryKeyAttention::new);

  private final Linear queryKey;
  private final Linear value;
  private final Linear output;
  private final Tensor scale;
  private final int heads;
  private final double dropout;
  private final PositionalEncoding positional;
  private final RunState state;
  private final BuildContext context;

  public SharedQueryKeyAttention(MultiHeadAttention.Config config, BuildContext context) {
    int d = context.dims().dModel();
    this.heads = context.dims().heads();
    this.queryKey = new Linear(context.params(), "query_key", d, d, config.bias());
    this.value = new Linear(context.params(), "value", d, d, config.bias());
    this.output = new Linear(context.params(), "output", d, d, config.bias());
    this.scale = config.scale().create(context.params(), heads, context.dims().headDim());
    this.dropout = config.dropout();
    this.positional = context.positional();
    this.state = context.state();
    this.context = context;
  }

  @Override
  public Tensor forward(Tensor x, Tensor memory, AttentionMask mask) {
    Tensor q = ScaledDotProduct.splitHeads(queryKey.forward(x), heads);       // (B, H, Tq, Dh)
    Tensor k = ScaledDotProduct.splitHeads(queryKey.forward(memory), heads);  // (B, H, Tk, Dh)
    Tensor v = ScaledDotProduct.splitHeads(value.forward(memory), heads);     // (B, H, Tk, Dh)
    Tensor mixed = ScaledDotProduct.attend(q, k, v, scale, mask, positional, null, state, context.path());
    mixed = Dropout.apply(mixed, dropout, context.rng(), state.training());  // (B, H, Tq, Dh)
    return output.forward(ScaledDotProduct.mergeHeads(mixed));                // (B, Tq, D)
  }
}
