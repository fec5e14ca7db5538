package io.ablate.plugins.transformer.attention;

import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Masked sums over keys, S_i = Σ_j M_ij x_j, as one product with the (Tq, Tk) 0/1 matrix M (lower
 * triangular for causal attention: a cumulative sum). Differentiable through the matmul.
 */
final class PrefixSums {
  private PrefixSums() {}

  /**
   * @param x (B, H, Tk, F)
   * @param visible (Tq, Tk) 0/1
   * @return (B, H, Tq, F)
   */
  static Tensor of(Tensor x, INDArray visible) {
    long b = x.size(0);
    long h = x.size(1);
    long tk = x.size(2);
    long f = x.size(3);
    long tq = visible.size(0);
    Tensor flat = x.permute(2, 0, 1, 3).reshape(tk, b * h * f);                // (Tk, B·H·F)
    Tensor summed = Tensor.constant(visible).matmul(flat);                     // (Tq, B·H·F)
    return summed.reshape(tq, b, h, f).permute(1, 2, 0, 3);                    // (B, H, Tq, F)
  }

  /**
   * Masked sums of the outer products k_j v_jᵀ.
   *
   * @param k (B, H, Tk, Dk)
   * @param v (B, H, Tk, Dv)
   * @param visible (Tq, Tk) 0/1
   * @return (B, H, Tq, Dk, Dv)
   */
  static Tensor outerProducts(Tensor k, Tensor v, INDArray visible) {
    long b = k.size(0);
    long h = k.size(1);
    long tk = k.size(2);
    long dk = k.size(3);
    long dv = v.size(3);
    Tensor outer = k.reshape(b, h, tk, dk, 1).mul(v.reshape(b, h, tk, 1, dv)); // (B, H, Tk, Dk, Dv)
    Tensor sums = of(outer.reshape(b, h, tk, dk * dv), visible);               // (B, H, Tq, Dk·Dv)
    return sums.reshape(b, h, visible.size(0), dk, dv);
  }
}
