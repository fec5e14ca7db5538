package com.example.talkingheads;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Masks;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Softmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Talking-heads attention (Shazeer, Lan, Cheng, Ding, Hou 2020, arXiv:2003.02436): multi-head
 * scaled dot-product attention whose heads exchange information twice — the logits are mixed across
 * heads by a learned H × H matrix before the softmax, and the attention weights by another after it.
 * With both matrices the identity (the default start) it is standard multi-head attention.
 *
 * <p>Positional hooks: queries and keys are rotated before their product (QUERY_KEY); the SCORES
 * term is added to each head's logits <em>after</em> the logits are mixed, so that a relative encoding
 * keeps its meaning per head (ALiBi's slope for head g acts on head g). Masks are applied after
 * mixing too: a masked logit must not leak into other heads' sums.
 */
public final class TalkingHeadsAttention implements Attention {
  /** Options of {@code talking-heads}. */
  public record Config(
      @Doc("initial head-mixing matrices: identity (starts as multi-head attention) or orthogonal (a random "
          + "rotation of the heads)") @Default("identity") Init init,
      @Doc("biases on the four projections") @Default("true") boolean bias) {}

  /** How the head-mixing matrices start. */
  public enum Init {
    /** No mixing: the layer starts as plain multi-head attention. */
    IDENTITY,
    /** A random orthogonal matrix (Haar-distributed): heads mixed from the start, norms kept. */
    ORTHOGONAL
  }

  public static final ComponentFactory<Config, Attention> FACTORY = Factories.of(Family.ATTENTION, "talking-heads",
      "Multi-head attention with learned mixing across heads before and after the softmax (Shazeer et al. 2020)",
      Config.class, TalkingHeadsAttention::new);

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final Tensor logitMix;
  private final Tensor weightMix;
  private final int heads;
  private final double scale;
  private final PositionalEncoding positional;
  private final RunState state;
  private final String layer;

  public TalkingHeadsAttention(Config config, BuildContext context) {
    int d = context.dims().dModel();
    this.heads = context.dims().heads();
    this.query = new Linear(context.params(), "query", d, d, config.bias());
    this.key = new Linear(context.params(), "key", d, d, config.bias());
    this.value = new Linear(context.params(), "value", d, d, config.bias());
    this.output = new Linear(context.params(), "output", d, d, config.bias());
    var type = context.params().type();
    this.logitMix = context.params().create("logit_mix", HeadMixing.initial(config.init(), heads, context.rng(), type));
    this.weightMix = context.params().create("weight_mix", HeadMixing.initial(config.init(), heads, context.rng(), type));
    this.scale = 1.0 / Math.sqrt(context.dims().headDim());
    this.positional = context.positional();
    this.state = context.state();
    this.layer = context.path();
  }

  @Override
  public Tensor forward(Tensor x, Tensor memory, AttentionMask mask) {
    Tensor q = splitHeads(query.forward(x));                                  // (B, H, Tq, Dh)
    Tensor k = splitHeads(key.forward(memory));                               // (B, H, Tk, Dh)
    Tensor v = splitHeads(value.forward(memory));                             // (B, H, Tk, Dh)
    int tq = (int) q.size(2);
    int tk = (int) k.size(2);
    if (positional.hooks().contains(Hook.QUERY_KEY)) {
      PositionalEncoding.QueryKey rotated = positional.rotate(q, k);
      q = rotated.query();
      k = rotated.key();
    }
    Tensor logits = q.matmul(k.transpose(2, 3)).mul(scale);                  // (B, H, Tq, Tk)
    logits = HeadMixing.apply(logits, logitMix);                              // heads talk before the softmax
    if (positional.hooks().contains(Hook.SCORES)) {
      Tensor bias = positional.scoreBias(q, tk);                              // broadcastable to (B, H, Tq, Tk)
      if (bias != null) {
        logits = logits.add(bias);
      }
    }
    INDArray keep = Masks.keep(mask, tq, tk, logits.dataType());              // (B|1, 1, Tq, Tk) or null
    if (keep != null) {
      logits = logits.add(Tensor.constant(keep.rsub(1).muli(Softmax.MASKED)));
    }
    Tensor weights = HeadMixing.apply(logits.softmax(-1), weightMix);         // heads talk after it
    if (state.capturing()) {
      state.record(layer, weights.value());
    }
    return output.forward(mergeHeads(weights.matmul(v)));                     // (B, Tq, D)
  }

  /** (B, T, H·Dh) → (B, H, T, Dh). */
  private Tensor splitHeads(Tensor x) {
    return x.reshape(x.size(0), x.size(1), heads, x.size(2) / heads).permute(0, 2, 1, 3);
  }

  /** (B, H, T, Dh) → (B, T, H·Dh). */
  private static Tensor mergeHeads(Tensor x) {
    return x.permute(0, 2, 1, 3).reshape(x.size(0), x.size(2), x.size(1) * x.size(3));
  }
}
