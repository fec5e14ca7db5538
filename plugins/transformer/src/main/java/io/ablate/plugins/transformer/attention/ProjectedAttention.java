package io.ablate.plugins.transformer.attention;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ConfigException;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-head scaled dot-product attention with its projections, shared by {@code mha}, {@code shared-qk},
 * {@code gqa}/{@code mqa} and {@code local}: each of those is this class with one option changed, so
 * an ablation between them changes exactly that option.
 */
final class ProjectedAttention implements Attention {
  /**
   * @param kvHeads key/value heads (= heads for multi-head attention)
   * @param sharedQueryKey one projection for queries and keys (W_Q = W_K)
   * @param window sliding-window width, 0 for none
   */
  record Options(Scale scale, boolean bias, double dropout, int kvHeads, boolean sharedQueryKey, int window) {
    static void checkDropout(double dropout) {
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
    }
  }

  private final Linear query;
  private final Linear key;        // null when W_K = W_Q
  private final Linear value;
  private final Linear output;
  private final Tensor scale;
  private final int heads;
  private final int kvHeads;
  private final Options options;
  private final PositionalEncoding positional;
  private final RunState state;
  private final BuildContext context;

  ProjectedAttention(Options options, BuildContext context) {
    int d = context.dims().dModel();
    int dh = context.dims().headDim();
    this.heads = context.dims().heads();
    this.kvHeads = options.kvHeads();
    if (heads % kvHeads != 0) {
      throw new ConfigException("attention at '" + context.path() + "': heads (" + heads
          + ") must be divisible by kv_heads (" + kvHeads + ")");
    }
    this.options = options;
    this.query = new Linear(context.params(), options.sharedQueryKey() ? "query_key" : "query", d, d, options.bias());
    this.key = options.sharedQueryKey() ? null : new Linear(context.params(), "key", d, kvHeads * dh, options.bias());
    this.value = new Linear(context.params(), "value", d, kvHeads * dh, options.bias());
    this.output = new Linear(context.params(), "output", d, d, options.bias());
    this.scale = options.scale().create(context.params(), heads, dh);
    this.positional = context.positional();
    this.state = context.state();
    this.context = context;
  }

  @Override
  public Tensor forward(Tensor x, Tensor memory, AttentionMask mask) {
    Tensor q = ScaledDotProduct.splitHeads(query.forward(x), heads);                          // (B, H, Tq, Dh)
    Tensor k = ScaledDotProduct.splitHeads((key == null ? query : key).forward(memory), kvHeads); // (B, Hk, Tk, Dh)
    Tensor v = ScaledDotProduct.splitHeads(value.forward(memory), kvHeads);                   // (B, Hk, Tk, Dh)
    INDArray band = options.window() == 0 ? null
        : SlidingWindow.keep((int) x.size(1), (int) memory.size(1), options.window(), x.dataType()); // (1, 1, Tq, Tk)
    Tensor mixed = ScaledDotProduct.attend(q, k, v, scale, mask, positional, band, state, context.path());
    mixed = Dropout.apply(mixed, options.dropout(), context.rng(), state.training());        // (B, H, Tq, Dh)
    return output.forward(ScaledDotProduct.mergeHeads(mixed));                                // (B, Tq, D)
  }
}
