package io.ablate.plugins.transformer.attention;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;

/** Scaled dot-product attention with separate W_Q, W_K, W_V per head and an output projection. */
public final class MultiHeadAttention implements Attention {
  /** Options of {@code mha}. */
  public record Config(
      @Doc("how q·kᵀ is scaled: sqrt_dk (1/√d_k), none, or a learned per-head temperature")
      @Default("sqrt_dk") Scale scale,
      @Doc("biases on the four projections") @Default("true") boolean bias,
      @Doc("dropout on the attention output, in training only") @Default("0.0") double dropout) {
    public Config {
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
    }
  }

  public static final ComponentFactory<Config, Attention> FACTORY = Factories.of(Family.ATTENTION, "mha",
      "Multi-head scaled dot-product attention with separate W_Q, W_K, W_V (Vaswani et al. 2017)",
      Config.class, MultiHeadAttention::new);

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final Tensor scale;
  private final int heads;
  private final double dropout;
  private final PositionalEncoding positional;
  private final RunState state;
  private final BuildContext context;

  public MultiHeadAttention(Config config, BuildContext context) {
    int d = context.dims().dModel();
    this.heads = context.dims().heads();
    this.query = new Linear(context.params(), "query", d, d, config.bias());
    this.key = new Linear(context.params(), "key", d, d, config.bias());
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
    Tensor q = ScaledDotProduct.splitHeads(query.forward(x), heads);          // (B, H, Tq, Dh)
    Tensor k = ScaledDotProduct.splitHeads(key.forward(memory), heads);       // (B, H, Tk, Dh)
    Tensor v = ScaledDotProduct.splitHeads(value.forward(memory), heads);     // (B, H, Tk, Dh)
    Tensor mixed = ScaledDotProduct.attend(q, k, v, scale, mask, positional, null, state, context.path());
    mixed = Dropout.apply(mixed, dropout, context.rng(), state.training());  // (B, H, Tq, Dh)
    return output.forward(ScaledDotProduct.mergeHeads(mixed));                // (B, Tq, D)
  }
}
