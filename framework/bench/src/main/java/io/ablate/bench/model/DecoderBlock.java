package io.ablate.bench.model;

import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Pre-LN Transformer block: two residual lines. */
public final class DecoderBlock {
  final LayerNorm norm1;
  final MultiHeadSelfAttention attention;
  final LayerNorm norm2;
  final FeedForward feedForward;

  public DecoderBlock(Init init, String name, int dModel, int heads, int hidden) {
    this.norm1 = new LayerNorm(init, name + ".norm1", dModel);
    this.attention = new MultiHeadSelfAttention(init, name + ".attention", dModel, heads);
    this.norm2 = new LayerNorm(init, name + ".norm2", dModel);
    this.feedForward = new FeedForward(init, name + ".ffn", dModel, hidden);
  }

  /** x (B, T, D) → (B, T, D). */
  public Tensor forward(Tensor x, INDArray maskBias) {
    Tensor h = x.add(attention.forward(norm1.forward(x), maskBias));
    return h.add(feedForward.forward(norm2.forward(h)));
  }
}
