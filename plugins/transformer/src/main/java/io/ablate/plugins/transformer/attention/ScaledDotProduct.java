package io.ablate.plugins.transformer.attention;

import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Masks;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.model.PositionalEncoding.QueryKey;
import io.ablate.spi.model.RunState;
import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * softmax(q·kᵀ · scale + positional term + mask) · v over heads, shared by the attention variants
 * that compute explicit scores. Applies the query/key and score hooks of the positional encoding.
 */
public final class ScaledDotProduct {
  private ScaledDotProduct() {}

  /**
   * @param q (B, H, Tq, Dh)
   * @param k (B, H, Tk, Dh)
   * @param v (B, H, Tk, Dh)
   * @param scale multiplies q·kᵀ: a constant (scalar tensor) or a learned (1, H, 1, 1) tensor
   * @param extraKeep optional (…, Tq, Tk) 1/0 visibility combined with the mask (sliding windows), or null
   * @return (B, H, Tq, Dh)
   */
  public static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor scale, AttentionMask mask,
      PositionalEncoding positional, INDArray extraKeep, RunState state, String layer) {
    int tq = (int) q.size(2);
    int tk = (int) k.size(2);
    if (positional.hooks().contains(Hook.QUERY_KEY)) {
      QueryKey rotated = positional.rotate(q, k);
      q = rotated.query();
      k = rotated.key();
    }
    Tensor scores = q.matmul(k.transpose(2, 3));                                // (B, H, Tq, Tk)
    scores = scale.requiresGrad() || scale.value().length() != 1
        ? scores.mul(scale) : scores.mul(scale.value().getDouble(0));
    if (positional.hooks().contains(Hook.SCORES)) {
      Tensor bias = positional.scoreBias(q, tk);
      if (bias != null) {
        scores = scores.add(bias);
      }
    }
    INDArray keep = Masks.keep(mask, tq, tk, scores.dataType());               // (B|1, 1, Tq, Tk)
    if (extraKeep != null) {
      keep = keep == null ? extraKeep : keep.mul(extraKeep);
    }
    if (keep != null) {
      scores = scores.add(Tensor.constant(keep.rsub(1).muli(io.ablate.tensor.ops.Softmax.MASKED)));
    }
    Tensor weights = scores.softmax(-1);                                        // (B, H, Tq, Tk)
    if (state.capturing()) {
      state.record(layer, weights.value());
    }
    return weights.matmul(v);                                                   // (B, H, Tq, Dh)
  }

  /** (B, T, H·Dh) → (B, H, T, Dh). */
  public static Tensor splitHeads(Tensor x, int heads) {
    long b = x.size(0);
    long t = x.size(1);
    return x.reshape(b, t, heads, x.size(2) / heads).permute(0, 2, 1, 3);
  }

  /** (B, H, T, Dh) → (B, T, H·Dh). */
  public static Tensor mergeHeads(Tensor x) {
    long b = x.size(0);
    long h = x.size(1);
    long t = x.size(2);
    return x.permute(0, 2, 1, 3).reshape(b, t, h * x.size(3));
  }
}
