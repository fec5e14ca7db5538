package io.ablate.tensor.ops;

import io.ablate.tensor.Lever;
import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scaled dot-product attention over heads, {@code softmax(scale · q·kᵀ + bias) · v}, as one op where
 * {@link FusedAttention} can run it (float32 on the CPU, {@link Lever#FUSED_ATTENTION} on), else as
 * the product, {@link Softmax#scaledSoftmax} and the product.
 */
public final class DotProductAttention {
  private DotProductAttention() {}

  /**
   * @param q (B, H, Tq, Dh)
   * @param k (B, H, Tk, Dh)
   * @param v (B, H, Tk, Dv)
   * @param bias a constant (B|1, H|1, Tq, Tk) added to the scaled scores (an attention mask of 0 and
   *     {@link Softmax#MASKED}), or null
   * @return (B, H, Tq, Dv)
   */
  public static Tensor apply(Tensor q, Tensor k, Tensor v, double scale, INDArray bias) {
    if (!FusedAttention.supports(q.value(), k.value(), v.value(), bias)) {
      return Softmax.scaledSoftmax(q.matmul(k.transpose(2, 3)), scale, bias).matmul(v);
    }
    boolean recording = Tensor.recordedFor(q, k, v);
    INDArray[] result = FusedAttention.forward(q.value(), k.value(), v.value(), scale, bias, recording);
    INDArray weights = result[1];                                               // (B, H, Tq, Tk) or null
    Tensor out = Tensor.fromOp("attention", result[0], (g, grads) -> {
      INDArray[] d = FusedAttention.backward(q.value(), k.value(), v.value(), weights, g, scale, bias,
          new boolean[] {q.requiresGrad(), k.requiresGrad(), v.requiresGrad()});
      Tensor[] inputs = {q, k, v};
      for (int i = 0; i < 3; i++) {
        if (d[i] != null) {
          grads.add(inputs[i], d[i]);
        }
      }
    }, q, k, v);
    return weights == null ? out : out.saveForBackward(weights);
  }
}
