package io.ablate.tensor.ops;

import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Inverted dropout: zero each element with probability p and scale survivors by 1/(1 − p). */
public final class Dropout {
  private Dropout() {}

  public static Tensor apply(Tensor a, double p, Rng rng, boolean training) {
    if (!training || p == 0) {
      return a;
    }
    if (p < 0 || p >= 1) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
    INDArray mask = rng.bernoulli(a.dataType(), 1 - p, a.shape()).muli(1 / (1 - p));
    return Tensor.fromOp("dropout", Kernels.mul(a.value(), mask), (g, grads) -> grads.add(a, Kernels.mul(g, mask)), a)
        .saveForBackward(mask);
  }
}
