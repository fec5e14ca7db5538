package io.ablate.plugins.transformer.attention;

import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Masks;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.model.PositionalEncoding.QueryKey;
import io.ablate.spi.model.RunState;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.DotProductAttention;
import io.ablate.tensor.ops.Softmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * softmax(q·kᵀ · scale + positional term + mask) · v over heads, shared by the attention variants
 * that compute explicit scores. Applies the query/key and score hooks of the positional encoding.
 *
 * <p>Keys and values may have fewer heads than queries (grouped-query and multi-query attention):
 * with H query heads and Hk key/value heads, query head h reads key/value head h / (H / Hk), as in
 * PyTorch's {@code repeat_interleave} convention. The groups are formed by reshaping the queries, so
 * keys and values are never copied H / Hk times.
 */
public final class ScaledDotProduct {
  /** Elements of a score bias summed with the mask for the fused op, at most (2²⁴: 64 MB in float32). */
  private static final long FOLDED_BIAS_LIMIT = 1L << 24;

  private ScaledDotProduct() {}

  /**
   * @param q (B, H, Tq, Dh)
   * @param k (B, Hk, Tk, Dh), Hk dividing H
   * @param v (B, Hk, Tk, Dv)
   * @param scale multiplies q·kᵀ: a constant (scalar tensor) or a learned (1, H, 1, 1) tensor
   * @param extraKeep optional (…, Tq, Tk) 1/0 visibility combined with the mask (sliding windows), or null
   * @return (B, H, Tq, Dv)
   */
  public static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor scale, AttentionMask mask,
      PositionalEncoding positional, INDArray extraKeep, RunState state, String layer) {
    int heads = (int) q.size(1);
    int kvHeads = (int) k.size(1);
    if (kvHeads != v.size(1) || heads % kvHeads != 0) {
      throw new IllegalArgumentException("attention at '" + layer + "': " + heads + " query heads cannot share "
          + kvHeads + " key heads and " + v.size(1) + " value heads");
    }
    int tq = (int) q.size(2);
    int tk = (int) k.size(2);
    if (positional.hooks().contains(Hook.QUERY_KEY)) {
      QueryKey rotated = positional.rotate(q, k);
      q = rotated.query();
      k = rotated.key();
    }
    boolean constantScale = !scale.requiresGrad() && scale.value().length() == 1;
    Tensor bias = positional.hooks().contains(Hook.SCORES) ? positional.scoreBias(q, tk) : null;  // (…, Tq, Tk)
    if (constantScale && heads == kvHeads && !state.capturing() && (bias == null || foldable(bias, mask, tq, tk))) {
      INDArray maskBias = MaskBias.of(mask, extraKeep, tq, tk, q.dataType());  // (B|1, 1, Tq, Tk) or null
      INDArray all = bias == null ? maskBias : MaskBias.plus(bias.value(), maskBias);  // ALiBi's bias folded in
      return DotProductAttention.apply(q, k, v, scale.value().getDouble(0), all);  // (B, H, Tq, Dv)
    }
    Tensor scores = groupedScores(q, k);                                        // (B, H, Tq, Tk)
    double factor = 1;
    if (constantScale && bias == null) {
      factor = scale.value().getDouble(0);                                      // applied inside the softmax
    } else {
      scores = constantScale ? scores.mul(scale.value().getDouble(0)) : scores.mul(scale);
      scores = bias == null ? scores : scores.add(bias);
    }
    INDArray maskBias = MaskBias.of(mask, extraKeep, tq, tk, scores.dataType()); // (B|1, 1, Tq, Tk) or null
    Tensor weights = Softmax.scaledSoftmax(scores, factor, maskBias);           // (B, H, Tq, Tk)
    if (state.capturing()) {
      state.record(layer, weights.value());
    }
    return groupedMix(weights, v);                                              // (B, H, Tq, Dv)
  }

  /**
   * Whether a score bias can join the mask as one constant bias of the fused op: it needs no gradient
   * (ALiBi's, not a learned one) and the sum, (B|1, H, Tq, Tk), stays below 64 MB.
   */
  private static boolean foldable(Tensor bias, AttentionMask mask, int tq, int tk) {
    long batch = mask.keyValid() == null ? 1 : mask.keyValid().size(0);
    return !bias.requiresGrad() && bias.rank() == 4 && batch * bias.size(1) * tq * tk <= FOLDED_BIAS_LIMIT;
  }

  /** The mask's keep form combined with an extra one, or null when nothing is masked. */
  static INDArray keep(AttentionMask mask, INDArray extraKeep, int tq, int tk, DataType type) {
    INDArray keep = Masks.keep(mask, tq, tk, type);                             // (B|1, 1, Tq, Tk)
    if (extraKeep != null) {
      INDArray extra = extraKeep.castTo(type);
      keep = keep == null ? extra : io.ablate.tensor.ops.Kernels.mul(keep, extra);
    }
    return keep;
  }

  /** q (B, H, Tq, Dh) · k (B, Hk, Tk, Dh)ᵀ → (B, H, Tq, Tk), query heads grouped over key heads. */
  static Tensor groupedScores(Tensor q, Tensor k) {
    long b = q.size(0);
    long heads = q.size(1);
    long kvHeads = k.size(1);
    long tq = q.size(2);
    long tk = k.size(2);
    if (heads == kvHeads) {
      return q.matmul(k.transpose(2, 3));
    }
    long group = heads / kvHeads;
    Tensor grouped = q.reshape(b, kvHeads, group * tq, q.size(3));             // (B, Hk, G·Tq, Dh)
    return grouped.matmul(k.transpose(2, 3)).reshape(b, heads, tq, tk);        // (B, H, Tq, Tk)
  }

  /** weights (B, H, Tq, Tk) · v (B, Hk, Tk, Dv) → (B, H, Tq, Dv). */
  static Tensor groupedMix(Tensor weights, Tensor v) {
    long b = weights.size(0);
    long heads = weights.size(1);
    long kvHeads = v.size(1);
    long tq = weights.size(2);
    if (heads == kvHeads) {
      return weights.matmul(v);
    }
    long group = heads / kvHeads;
    Tensor grouped = weights.reshape(b, kvHeads, group * tq, weights.size(3));  // (B, Hk, G·Tq, Tk)
    return grouped.matmul(v).reshape(b, heads, tq, v.size(3));                  // (B, H, Tq, Dv)
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
