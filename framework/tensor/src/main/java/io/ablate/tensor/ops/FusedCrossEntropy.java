package io.ablate.tensor.ops;

import io.ablate.tensor.Lever;
import io.ablate.tensor.TensorException;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean cross-entropy of float32 logits as Java loops: forward one pass that keeps only each row's
 * log-sum-exp, backward one pass that writes {@code (softmax − onehot) · valid · scale}. The libnd4j
 * chain it replaces ran about ten passes and kept two (N, C) arrays (the log-probabilities and the
 * one-hot targets) until backward. Exponentials as in {@link ScaledSoftmax}. Float64 keeps the
 * chain ({@link Losses}), for the finite-difference checks.
 */
final class FusedCrossEntropy {
  private static final int CHUNK = 8192;
  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[3][CHUNK]);

  private FusedCrossEntropy() {}

  /** What backward needs: per row its log-sum-exp and its target (−1 where ignored), and how many count. */
  record Saved(float[] logSumExp, int[] targets, long count) {}

  /** The loss and what backward needs. */
  record Forward(double loss, Saved saved) {}

  static boolean supports(INDArray logits) {
    return Lever.FUSED_CROSS_ENTROPY.on() && Gelu.supports(logits) && logits.dataType() == DataType.FLOAT
        && logits.size(logits.rank() - 1) <= CHUNK;
  }

  /**
   * {@code logits (N, C)} dense, {@code ids} the N targets; rows whose target equals
   * {@code ignoreIndex} do not count. A target outside [0, C) fails with the range found.
   */
  static Forward forward(INDArray logits, long[] ids, long ignoreIndex) {
    int cols = (int) logits.size(logits.rank() - 1);
    int rows = ids.length;
    int[] targets = new int[rows];
    long count = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int r = 0; r < rows; r++) {
      if (ids[r] == ignoreIndex) {
        targets[r] = -1;
        continue;
      }
      min = Math.min(min, ids[r]);
      max = Math.max(max, ids[r]);
      targets[r] = (int) ids[r];
      count++;
    }
    if (count > 0 && (min < 0 || max >= cols)) {
      throw new TensorException("cross_entropy: targets must lie in [0, " + cols + ") or equal the ignore index;"
          + " found values in [" + min + ", " + max + "]");
    }
    float[] lse = new float[rows];
    int parts = RowParallel.parts(rows, cols);
    double[] sums = new double[parts];
    RowParallel.run(rows, cols, (part, from, to) -> sums[part] = forwardRows(logits, targets, lse, cols, from, to));
    double picked = 0;
    for (double s : sums) {
      picked += s;
    }
    return new Forward(count == 0 ? 0.0 : picked / count, new Saved(lse, targets, count));
  }

  /** {@code d (N, C) = (softmax(logits) − onehot) · valid · scale}, scale = upstream / count. */
  static void backward(INDArray logits, Saved saved, double upstream, INDArray d) {
    int cols = (int) logits.size(logits.rank() - 1);
    int rows = saved.targets().length;
    float scale = saved.count() == 0 ? 0f : (float) (upstream / saved.count());
    RowParallel.run(rows, cols, (part, from, to) -> backwardRows(logits, saved, scale, d, cols, from, to));
  }

  /** Rows {@code [start, end)}: their log-sum-exp into lse; returns Σ (lse − logit of the target) over counted rows. */
  private static double forwardRows(INDArray logits, int[] targets, float[] lse, int cols, int start, int end) {
    float[][] s = FLOATS.get();
    FloatPointer px = new FloatPointer(logits.data().addressPointer());
    int perChunk = Math.max(1, CHUNK / cols);
    double total = 0;
    for (int from = start; from < end; from += perChunk) {
      int n = Math.min(perChunk, end - from);
      px.position((long) from * cols).get(s[0], 0, n * cols);
      float[] maxima = new float[n];
      float[] picked = new float[n];
      for (int r = 0; r < n; r++) {
        int o = r * cols;
        int t = targets[from + r];
        picked[r] = t < 0 ? 0f : s[0][o + t];
        maxima[r] = RowMath.max(s[0], o, cols);
        subtract(s[0], o, cols, maxima[r]);
      }
      ScaledSoftmax.expNonPositive(s[0], s[1], s[2], n * cols);
      for (int r = 0; r < n; r++) {
        float value = maxima[r] + (float) Math.log(RowMath.sum(s[0], r * cols, cols));
        lse[from + r] = value;
        if (targets[from + r] >= 0) {
          total += value - picked[r];
        }
      }
    }
    return total;
  }

  private static void backwardRows(INDArray logits, Saved saved, float scale, INDArray d, int cols, int start,
      int end) {
    float[][] s = FLOATS.get();
    FloatPointer px = new FloatPointer(logits.data().addressPointer());
    FloatPointer pd = new FloatPointer(d.data().addressPointer());
    int perChunk = Math.max(1, CHUNK / cols);
    for (int from = start; from < end; from += perChunk) {
      int n = Math.min(perChunk, end - from);
      int len = n * cols;
      px.position((long) from * cols).get(s[0], 0, len);
      for (int r = 0; r < n; r++) {
        subtract(s[0], r * cols, cols, saved.logSumExp()[from + r]);            // log-probabilities ≤ 0
      }
      ScaledSoftmax.expNonPositive(s[0], s[1], s[2], len);                      // probabilities
      for (int r = 0; r < n; r++) {
        int o = r * cols;
        int t = saved.targets()[from + r];
        if (t < 0) {
          java.util.Arrays.fill(s[0], o, o + cols, 0f);
        } else {
          s[0][o + t] -= 1f;
          multiply(s[0], o, cols, scale);
        }
      }
      pd.position((long) from * cols).put(s[0], 0, len);
    }
  }

  private static void subtract(float[] x, int o, int n, float v) {
    for (int i = o; i < o + n; i++) {
      x[i] -= v;
    }
  }

  private static void multiply(float[] x, int o, int n, float v) {
    for (int i = o; i < o + n; i++) {
      x[i] *= v;
    }
  }
}
