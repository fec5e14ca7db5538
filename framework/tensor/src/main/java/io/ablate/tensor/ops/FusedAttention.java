package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Lever;
import io.ablate.tensor.Memory;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code softmax(scale · q·kᵀ + bias) · v} and its gradients in float32, one (batch, head) entry at a
 * time: the entry's scores product, its softmax and its mixing product run back to back, so its
 * {@code (Tq, Tk)} scores (64 KB at T = 128) stay in cache between them. Unfused, each of the three
 * steps passes over every entry's scores (8 MB per layer of the small benchmark model) before the
 * next begins, and they come back from memory each time — in backward five times.
 *
 * <p>The products are single-threaded {@code cblas_sgemm} calls reading q, k, v and the output
 * gradient through their strides (the heads of a {@code (B, T, H·Dh)} projection, no copy); the
 * entries are split over the run's threads. The softmax and its gradient run over each row's
 * unmasked prefix only ({@link PrefixSoftmax}; under a causal mask half the row). Forward keeps the weights for backward; when nothing is recorded (evaluation) it keeps
 * none and needs one {@code (Tq, Tk)} buffer per thread instead of one per entry.
 */
final class FusedAttention {
  private FusedAttention() {}

  /**
   * Whether this kernel runs: float32 {@code (B, H, T, D)} operands with the same batch and heads,
   * BLAS reachable and single-threaded under the split ({@link Lever#SPLIT_GEMM}), rows of at most
   * {@link ScaledSoftmax#CHUNK} keys, and a bias (if any) that broadcasts to the scores.
   */
  static boolean supports(INDArray q, INDArray k, INDArray v, INDArray bias) {
    if (!Lever.FUSED_ATTENTION.on() || !StridedGemm.available() || q.rank() != 4 || k.rank() != 4 || v.rank() != 4
        || (RowParallel.threads() > 1 && !Lever.SPLIT_GEMM.on())) {
      return false;
    }
    for (INDArray x : new INDArray[] {q, k, v}) {
      if (x.dataType() != DataType.FLOAT || x.size(0) != q.size(0) || x.size(1) != q.size(1)) {
        return false;
      }
    }
    long tk = k.size(2);
    long[] scores = {q.size(0), q.size(1), q.size(2), tk};
    return q.size(3) == k.size(3) && v.size(2) == tk && tk <= ScaledSoftmax.CHUNK
        && (bias == null || bias.dataType() == DataType.FLOAT && ScaledSoftmax.broadcasts(bias, scores));
  }

  /**
   * @param keepWeights whether to return the weights (for backward); if not, only per-thread scratch is used
   * @return {output (B, H, Tq, Dv), weights (B, H, Tq, Tk) or null}
   */
  static INDArray[] forward(INDArray q, INDArray k, INDArray v, double scale, INDArray bias, boolean keepWeights) {
    Heads hq = Heads.of(q);
    Heads hk = Heads.of(k);
    Heads hv = Heads.of(v);
    int tq = (int) q.size(2);
    int tk = (int) k.size(2);
    int dh = (int) q.size(3);
    int dv = (int) v.size(3);
    int entries = (int) (q.size(0) * q.size(1));
    int parts = parts(entries, tq, tk, dh + dv);
    INDArray out = output(q.size(3) == dv ? q : v, q.size(0), q.size(1), tq, dv);               // (B, H, Tq, Dv)
    Heads ho = Heads.of(out);
    INDArray weights = keepWeights
        ? BufferPool.uninitialized(DataType.FLOAT, q.size(0), q.size(1), tq, tk)                  // (B, H, Tq, Tk)
        : BufferPool.uninitialized(DataType.FLOAT, parts, tq, tk);                                 // (parts, Tq, Tk)
    ScoreBias sb = ScoreBias.of(q, tk, bias);
    StridedGemm.matchBlasThreads();
    try {
      RowParallel.split(entries, parts, (part, from, to) -> {
        FloatPointer pq = hq.pointer();
        FloatPointer pk = hk.pointer();
        FloatPointer pv = hv.pointer();
        FloatPointer pw = pointer(weights);
        FloatPointer pb = sb.dense == null ? null : pointer(sb.dense);
        FloatPointer po = ho.pointer();
        for (int e = from; e < to; e++) {
          long w = keepWeights ? e : part;                                   // the entry's (Tq, Tk) slot
          sgemm(false, true, tq, tk, dh, pq.position(hq.offset(e)), hq.ld, pk.position(hk.offset(e)), hk.ld,
              pw.position(w * tq * tk), tk);                                 // scores = q·kᵀ
          if (sb.prefixes()) {                                               // weights = softmax(scale·scores + bias)
            PrefixSoftmax.forward(pw, w * tq, tq, tk, (float) scale, sb.heap, sb.rows, (long) e * tq);
          } else {
            ScaledSoftmax.forwardRows(pw, pw, w * tq, tq, tk, (float) scale, pb, sb.rows, (long) e * tq);
          }
          sgemm(false, false, tq, dv, tk, pw.position(w * tq * tk), tk, pv.position(hv.offset(e)), hv.ld,
              po.position(ho.offset(e)), ho.ld);                             // out = weights·v
        }
      });
    } finally {
      sb.release();
      Heads.release(hq, hk, hv);
      if (!keepWeights) {
        Memory.release(weights);
      }
    }
    return new INDArray[] {out, keepWeights ? weights : null};
  }

  /**
   * Gradients of q, k and v (each null where {@code need} says it is not wanted) from the output
   * gradient {@code g (B, H, Tq, Dv)} and the weights kept by {@link #forward}.
   */
  static INDArray[] backward(INDArray q, INDArray k, INDArray v, INDArray weights, INDArray g, double scale,
      INDArray bias, boolean[] need) {
    Heads hq = Heads.of(q);
    Heads hk = Heads.of(k);
    Heads hv = Heads.of(v);
    Heads hg = Heads.of(g);
    int tq = (int) q.size(2);
    int tk = (int) k.size(2);
    int dh = (int) q.size(3);
    int dv = (int) v.size(3);
    int entries = (int) (q.size(0) * q.size(1));
    int parts = parts(entries, tq, tk, 2 * dh + 2 * dv);
    INDArray dq = need[0] ? output(q, q.shape()) : null;                                        // (B, H, Tq, Dh)
    INDArray dk = need[1] ? output(k, k.shape()) : null;                                        // (B, H, Tk, Dh)
    INDArray dvOut = need[2] ? output(v, v.shape()) : null;                                     // (B, H, Tk, Dv)
    Heads hdq = dq == null ? null : Heads.of(dq);
    Heads hdk = dk == null ? null : Heads.of(dk);
    Heads hdv = dvOut == null ? null : Heads.of(dvOut);
    INDArray scratch = BufferPool.uninitialized(DataType.FLOAT, parts, tq, tk);                   // (parts, Tq, Tk)
    ScoreBias sb = ScoreBias.of(q, tk, bias);
    StridedGemm.matchBlasThreads();
    try {
      RowParallel.split(entries, parts, (part, from, to) -> {
        FloatPointer pq = hq.pointer();
        FloatPointer pk = hk.pointer();
        FloatPointer pv = hv.pointer();
        FloatPointer pg = hg.pointer();
        FloatPointer pw = pointer(weights);
        FloatPointer ps = pointer(scratch);
        FloatPointer pdq = hdq == null ? null : hdq.pointer();
        FloatPointer pdk = hdk == null ? null : hdk.pointer();
        FloatPointer pdv = hdv == null ? null : hdv.pointer();
        long s = (long) part * tq * tk;
        for (int e = from; e < to; e++) {
          long w = (long) e * tq * tk;
          if (dvOut != null) {                                               // dv = weightsᵀ·g
            sgemm(true, false, tk, dv, tq, pw.position(w), tk, pg.position(hg.offset(e)), hg.ld,
                pdv.position(hdv.offset(e)), hdv.ld);
          }
          if (dq == null && dk == null) {
            continue;
          }
          sgemm(false, true, tq, tk, dv, pg.position(hg.offset(e)), hg.ld, pv.position(hv.offset(e)), hv.ld,
              ps.position(s), tk);                                           // d weights = g·vᵀ
          if (sb.prefixes()) {                                               // d scores, over the unmasked prefixes
            PrefixSoftmax.backward(pw, (long) e * tq, ps, (long) part * tq, tq, tk, (float) scale, sb.heap, sb.rows,
                (long) e * tq);
          } else {
            ScaledSoftmax.backwardRows(pw, (long) e * tq, ps, ps, (long) part * tq, tq, tk, (float) scale);
          }
          if (dq != null) {                                                  // dq = d scores·k
            sgemm(false, false, tq, dh, tk, ps.position(s), tk, pk.position(hk.offset(e)), hk.ld,
                pdq.position(hdq.offset(e)), hdq.ld);
          }
          if (dk != null) {                                                  // dk = d scoresᵀ·q
            sgemm(true, false, tk, dh, tq, ps.position(s), tk, pq.position(hq.offset(e)), hq.ld,
                pdk.position(hdk.offset(e)), hdk.ld);
          }
        }
      });
    } finally {
      Memory.release(scratch);
      sb.release();
      Heads.release(hq, hk, hv, hg);
    }
    return new INDArray[] {dq, dk, dvOut};
  }

  /**
   * The score bias as the row kernels read it: dense (a copy when it was not), on the heap with its
   * rows' unmasked prefixes when small enough, and which bias row serves each score row; all null
   * without a bias.
   */
  private record ScoreBias(INDArray original, INDArray dense, HeapBias heap, ScaledSoftmax.BiasRows rows) {
    static ScoreBias of(INDArray q, int tk, INDArray bias) {
      if (bias == null) {
        return new ScoreBias(null, null, null, null);
      }
      INDArray dense = DenseCopy.of(bias);
      return new ScoreBias(bias, dense, HeapBias.of(bias, dense, tk),
          new ScaledSoftmax.BiasRows(new long[] {q.size(0), q.size(1), q.size(2), tk}, bias.shape()));
    }

    /** Whether {@link PrefixSoftmax} runs: no bias, or one on the heap. */
    boolean prefixes() {
      return original == null || heap != null;
    }

    void release() {
      DenseCopy.release(dense, original);
    }
  }

  /**
   * An uninitialised {@code (B, H, T, D)} array laid out in memory like {@code like} when it has that
   * shape and its entries are row-major (heads of a {@code (B, T, H·D)} projection: merging the heads
   * of the output, or passing a gradient back through the split, then needs no copy), else c-ordered.
   */
  private static INDArray output(INDArray like, long... shape) {
    if (java.util.Arrays.equals(like.shape(), shape)) {
      INDArray out = BufferPool.uninitializedLike(like);
      if (Heads.rowMajor(out)) {
        return out;
      }
      Memory.release(out);
    }
    return BufferPool.uninitialized(DataType.FLOAT, shape);
  }

  /** The run's threads when the work is worth a hand-off, else 1. */
  private static int parts(int entries, int tq, int tk, int depth) {
    double flops = 2.0 * entries * tq * tk * depth;
    int threads = RowParallel.threads();
    return threads <= 1 || flops < StridedGemm.MIN_SPLIT_FLOPS ? 1 : Math.min(entries, threads);
  }

  /** Row-major {@code c (m, n) = op(a) · op(b)} on the calling thread. */
  private static void sgemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, int lda,
      FloatPointer b, int ldb, FloatPointer c, int ldc) {
    openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, op(transA), op(transB), m, n, k, 1f, a, lda, b, ldb,
        0f, c, ldc);
  }

  private static int op(boolean trans) {
    return trans ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
  }

  /** A fresh pointer at the array's first element ({@code position} is per object, so one per thread). */
  private static FloatPointer pointer(INDArray x) {
    return new FloatPointer(x.data().addressPointer());
  }

  /**
   * A {@code (B, H, T, D)} operand as row-major {@code (T, D)} matrices, one per (batch, head) entry,
   * with leading dimension {@code stride[2]}: the array itself when its last axis is contiguous (the
   * heads of a projection), else a c-ordered copy.
   */
  private record Heads(INDArray array, boolean copied, int ld, int heads, long batchStride, long headStride) {
    static boolean rowMajor(INDArray x) {
      return (x.size(3) == 1 || x.stride(3) == 1) && (x.size(2) == 1 || x.stride(2) >= x.size(3));
    }

    static Heads of(INDArray x) {
      if (rowMajor(x)) {
        return new Heads(x, false, (int) Math.max(x.stride(2), x.size(3)), (int) x.size(1), x.stride(0), x.stride(1));
      }
      INDArray copy = x.dup('c');
      return new Heads(copy, true, (int) copy.size(3), (int) copy.size(1), copy.stride(0), copy.stride(1));
    }

    FloatPointer pointer() {
      return FusedAttention.pointer(array);
    }

    /** Element offset of entry {@code e} = b·H + h. */
    long offset(int e) {
      return (e / heads) * batchStride + (e % heads) * headStride;
    }

    static void release(Heads... all) {
      for (Heads h : all) {
        if (h.copied) {
          Memory.release(h.array);
        }
      }
    }
  }
}
