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

/**
 * {@code local}: multi-head attention restricted to a sliding window of keys (as in Longformer's
 * local attention and Mistral's sliding window). Causal: query i sees keys i − window + 1 … i;
 * bidirectional: keys with |i − j| &lt; window. Scores outside the window are masked like padding, so
 * the cost is still quadratic here; what is ablated is the receptive field of one layer.
 */
public final class LocalAttention implements Attention {
  /** Options of {@code local}. */
  public record Config(
      @Doc("window size w: causal queries see the w most recent keys (themselves included), "
          + "bidirectional ones the keys at distance < w") @Default("4") int window,
      @Doc("how q·kᵀ is scaled: sqrt_dk (1/√d_k), none, or a learned per-head temperature")
      @Default("sqrt_dk") Scale scale,
      @Doc("biases on the four projections") @Default("true") boolean bias,
      @Doc("dropout on the attention output, in training only") @Default("0.0") double dropout) {
    public Config {
      if (window < 1) {
        throw new IllegalArgumentException("window must be ≥ 1, got " + window);
      }
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
    }
  }

  public static final ComponentFactory<Config, Attention> FACTORY = Factories.of(Family.ATTENTION, "local",
      "Sliding-window multi-head attention: each query sees only keys within a window of its position",
      Config.class, LocalAttention::new);

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final Tensor scale;
  private final int heads;
  private final int window;
  private final double dropout;
  private final PositionalEncoding positional;
  private final RunState state;
  private final BuildContext context;

  public LocalAttention(Config config, BuildContext context) {
    int d = context.dims().dModel();
    this.heads = context.dims().heads();
    this.window = config.window();
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
    var band = SlidingWindow.keep((int) x.size(1), (int) memory.size(1), window, x.dataType());  // (1, 1, Tq, Tk)
    Tensor mixed = ScaledDotProduct.attend(q, k, v, scale, mask, positional, band, state, context.path());
    mixed = Dropout.apply(mixed, dropout, context.rng(), state.training());  // (B, H, Tq, Dh)
    return output.forward(ScaledDotProduct.mergeHeads(mixed));                // (B, Tq, D)
  }
}
