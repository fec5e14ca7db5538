package io.ablate.plugins.architectures.block;

import io.ablate.spi.BuildContext;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.FeedForward;
import io.ablate.spi.model.Normalization;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Arena;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One Transformer block: self-attention, optional cross-attention, feed-forward; each a residual
 * sub-layer whose normalisation sits before (pre) or after (post) the sum, and whose residual can be
 * switched off for ablation.
 */
public final class TransformerBlock {
  private final BlockOptions options;
  private final Normalization selfNorm;
  private final Attention selfAttention;
  private final Normalization crossNorm;
  private final Attention crossAttention;
  private final Normalization ffnNorm;
  private final FeedForward ffn;
  private final BuildContext context;

  /**
   * @param context scoped to this block, with dims and the self-attention positional encoding set
   * @param cross whether the block attends to an encoder's output
   */
  public TransformerBlock(BuildContext context, BlockOptions options, boolean cross) {
    this.options = options;
    this.context = context;
    this.selfNorm = context.scope("self_norm").create(Family.NORMALIZATION, options.norm());
    this.selfAttention = context.scope("self_attention").create(Family.ATTENTION, options.attention());
    if (cross) {
      this.crossNorm = context.scope("cross_norm").create(Family.NORMALIZATION, options.norm());
      this.crossAttention = context.scope("cross_attention").withPositional(PositionalEncoding.NONE)
          .create(Family.ATTENTION, options.attention());
    } else {
      this.crossNorm = null;
      this.crossAttention = null;
    }
    this.ffnNorm = context.scope("ffn_norm").create(Family.NORMALIZATION, options.norm());
    this.ffn = context.scope("ffn").create(Family.FEEDFORWARD, options.ffn());
  }

  /**
   * @param x (B, T, D)
   * @param valid (B, T) 1 for real tokens, or null
   * @param selfMask mask of the self-attention
   * @param memory (B, S, D) encoder output for cross-attention, or null
   * @param memoryMask mask over the memory's keys
   * @return (B, T, D)
   */
  public Tensor forward(Tensor x, INDArray valid, AttentionMask selfMask, Tensor memory, AttentionMask memoryMask) {
    x = sublayer(x, valid, selfNorm, h -> selfAttention.forward(h, h, selfMask));
    if (crossAttention != null) {
      x = sublayer(x, valid, crossNorm, h -> crossAttention.forward(h, memory, memoryMask));
    }
    return sublayer(x, valid, ffnNorm, ffn::forward);
  }

  /** One sublayer; without gradients its intermediates are freed as it returns (see {@link Arena#releasingIntermediates}). */
  private Tensor sublayer(Tensor x, INDArray valid, Normalization norm, java.util.function.UnaryOperator<Tensor> f) {
    return Arena.releasingIntermediates(() -> {
      boolean pre = options.placement() == Placement.PRE;
      Tensor h = f.apply(pre ? norm.forward(x, valid) : x);
      h = Dropout.apply(h, options.dropout(), context.rng(), context.state().training());
      Tensor sum = options.residual() ? x.add(h) : h;
      return pre ? sum : norm.forward(sum, valid);
    });
  }
}
