package io.ablate.plugins.transformer.attention;

import io.ablate.spi.nn.Parameters;
import io.ablate.tensor.Tensor;

/** How q·kᵀ is scaled: the question "why divide by √d_k?" as a config option. */
public enum Scale {
  /** 1/√d_k, as in "Attention is all you need". */
  SQRT_DK,
  /** No scaling: logits grow with d_k and softmax saturates. */
  NONE,
  /** A learned per-head temperature, initialised to 1/√d_k. */
  LEARNED;

  /** A scalar constant, or a (1, H, 1, 1) parameter for {@link #LEARNED}. */
  public Tensor create(Parameters params, int heads, int headDim) {
    double init = 1.0 / Math.sqrt(headDim);
    return switch (this) {
      case SQRT_DK -> Tensor.scalar(init, params.type());
      case NONE -> Tensor.scalar(1.0, params.type());
      case LEARNED -> params.create("temperature",
          org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {1, heads, 1, 1}, init, params.type()));
    };
  }
}
