package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Lever;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code softmax(scale·x + bias)} along the last axis, and its gradient, as Java loops: one pass
 * over attention scores instead of libnd4j's scale, add and softmax (three arrays, and a scalar
 * {@code exp} at ~2 ns per element in the generic build). The bias (an attention mask of 0 and
 * {@link Softmax#MASKED}) is broadcast over the leading axes it lacks.
 *
 * <p>Float32 exp is {@code 2^k · e^r} with {@code k = round(x / ln 2)}, {@code |r| ≤ ln 2 / 2} and
 * a degree-6 Taylor polynomial for {@code e^r} (within 2.5e-7 relative, measured), split into two
 * loops so that C2 vectorises both. Float64 uses {@link Math#exp}. Backward:
 * {@code dx = scale · y ⊙ (g − Σ g ⊙ y)}, the sum over each row. Off with
 * {@code -Dablate.fusedSoftmax=false} or {@code -Dablate.heapKernels=false}.
 */
final class ScaledSoftmax {
  private static final float LOG2E = 1.4426950408889634f;
  /** 1.5 · 2²³: adding it rounds a float of magnitude < 2²² to an integer, kept in the low bits. */
  private static final float ROUND = 12582912f;
  private static final float LN2_HI = 0.693145751953125f;
  private static final float LN2_LO = 1.428606765330187e-06f;
  /**
   * Terms below e^-75 relative to a row's largest are set to 0: their share of the sum is far below
   * float32 precision, and after normalisation they would be subnormal numbers, which slow every
   * later product through them by an order of magnitude (measured: the attention products of the
   * small benchmark model 3× slower). It also keeps 2^k a normal float.
   */
  private static final float CUTOFF = -75f;
  /** Rows per chunk are chosen so that a chunk holds about this many elements. */
  static final int CHUNK = 8192;
  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[3][CHUNK]);

  private ScaledSoftmax() {}

  /** Whether this kernel runs x; {@link Lever#FUSED_SOFTMAX} off keeps the libnd4j chain. */
  static boolean supports(INDArray x, INDArray bias) {
    long row = x.size(x.rank() - 1);
    return Lever.FUSED_SOFTMAX.on() && Gelu.supports(x) && row <= CHUNK
        && (bias == null || bias.dataType() == x.dataType() && broadcasts(bias, x.shape()));
  }

  /** A bias (..., Tq, Tk) whose leading axes are 1 or those of scores of this shape, with its last two axes. */
  static boolean broadcasts(INDArray bias, long[] scores) {
    int r = scores.length;
    if (bias.rank() != r || r < 2) {
      return false;
    }
    if (bias.size(r - 1) != scores[r - 1] || bias.size(r - 2) != scores[r - 2]) {
      return false;
    }
    for (int d = 0; d < r - 2; d++) {
      if (bias.size(d) != 1 && bias.size(d) != scores[d]) {
        return false;
      }
    }
    return true;
  }

  static INDArray forward(INDArray x, double scale, INDArray bias) {
    int cols = (int) x.size(x.rank() - 1);
    int rows = (int) (x.length() / cols);
    INDArray out = BufferPool.uninitialized(x.dataType(), x.shape());
    INDArray xd = DenseCopy.of(x);
    INDArray bd = bias == null ? null : DenseCopy.of(bias);
    BiasRows biasRows = bias == null ? null : new BiasRows(x.shape(), bias.shape());
    if (x.dataType() == DataType.FLOAT) {
      RowParallel.run(rows, cols, (part, from, to) -> forwardFloat(xd, (float) scale, bd, biasRows, out, from, to));
    } else {
      double[] a = new double[cols];
      double[] b = new double[cols];
      DoublePointer px = new DoublePointer(xd.data().addressPointer());
      DoublePointer pb = bd == null ? null : new DoublePointer(bd.data().addressPointer());
      DoublePointer po = new DoublePointer(out.data().addressPointer());
      for (int r = 0; r < rows; r++) {
        px.position((long) r * cols).get(a, 0, cols);
        if (pb != null) {
          pb.position((long) biasRows.of(r) * cols).get(b, 0, cols);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < cols; i++) {
          a[i] = scale * a[i] + (pb == null ? 0 : b[i]);
          max = Math.max(max, a[i]);
        }
        double sum = 0;
        for (int i = 0; i < cols; i++) {
          a[i] = Math.exp(a[i] - max);
          sum += a[i];
        }
        for (int i = 0; i < cols; i++) {
          a[i] /= sum;
        }
        po.position((long) r * cols).put(a, 0, cols);
      }
    }
    DenseCopy.release(xd, x);
    DenseCopy.release(bd, bias);
    return out;
  }

  /** {@code scale · y ⊙ (g − Σ g ⊙ y)} per row. */
  static INDArray backward(INDArray y, INDArray g, double scale) {
    int cols = (int) y.size(y.rank() - 1);
    int rows = (int) (y.length() / cols);
    INDArray out = BufferPool.uninitialized(y.dataType(), y.shape());
    INDArray gd = DenseCopy.of(g);
    if (y.dataType() == DataType.FLOAT) {
      RowParallel.run(rows, cols, (part, from, to) -> backwardFloat(y, gd, (float) scale, out, from, to));
    } else {
      double[] a = new double[cols];
      double[] b = new double[cols];
      DoublePointer py = new DoublePointer(y.data().addressPointer());
      DoublePointer pg = new DoublePointer(gd.data().addressPointer());
      DoublePointer po = new DoublePointer(out.data().addressPointer());
      for (int r = 0; r < rows; r++) {
        py.position((long) r * cols).get(a, 0, cols);
        pg.position((long) r * cols).get(b, 0, cols);
        double dot = 0;
        for (int i = 0; i < cols; i++) {
          dot += a[i] * b[i];
        }
        for (int i = 0; i < cols; i++) {
          a[i] = scale * a[i] * (b[i] - dot);
        }
        po.position((long) r * cols).put(a, 0, cols);
      }
    }
    DenseCopy.release(gd, g);
    return out;
  }

  /** Rows {@code [start, end)} of {@code softmax(scale · x + bias)}. */
  private static void forwardFloat(INDArray x, float scale, INDArray bias, BiasRows biasRows, INDArray out, int start,
      int end) {
    FloatPointer pb = bias == null ? null : new FloatPointer(bias.data().addressPointer());
    forwardRows(new FloatPointer(x.data().addressPointer()), new FloatPointer(out.data().addressPointer()), start,
        end - start, (int) x.size(x.rank() - 1), scale, pb, biasRows, start);
  }

  /**
   * Rows {@code [first, first + n)} of {@code px} (rows of {@code cols} floats) into the same rows of
   * {@code po}, which may be {@code px}: {@code softmax(scale · x + bias)}, the bias rows those of
   * scores rows {@code [biasFirst, biasFirst + n)}; a chunk of rows at a time. Moves the pointers' positions.
   */
  static void forwardRows(FloatPointer px, FloatPointer po, long first, int n, int cols, float scale, FloatPointer pb,
      BiasRows biasRows, long biasFirst) {
    float[][] s = FLOATS.get();
    int perChunk = Math.max(1, CHUNK / cols);
    for (int done = 0; done < n; done += perChunk) {
      int rows = Math.min(perChunk, n - done);
      int len = rows * cols;
      px.position((first + done) * cols).get(s[0], 0, len);
      for (int i = 0; i < len; i++) {
        s[0][i] *= scale;
      }
      if (pb != null) {
        for (int r = 0; r < rows; r++) {
          pb.position(biasRows.of(biasFirst + done + r) * cols).get(s[1], r * cols, cols);
        }
        for (int i = 0; i < len; i++) {
          s[0][i] += s[1][i];
        }
      }
      softmaxRows(s[0], s[1], s[2], rows, cols);
      po.position((first + done) * cols).put(s[0], 0, len);
    }
  }

  /** Rows {@code [start, end)} of the input gradient. */
  private static void backwardFloat(INDArray y, INDArray g, float scale, INDArray out, int start, int end) {
    FloatPointer pg = new FloatPointer(g.data().addressPointer());
    backwardRows(new FloatPointer(y.data().addressPointer()), start, pg, new FloatPointer(out.data().addressPointer()),
        start, end - start, (int) y.size(y.rank() - 1), scale);
  }

  /**
   * {@code scale · y ⊙ (g − Σ g ⊙ y)} for n rows of {@code cols} floats: y's rows from {@code yFirst},
   * g's and the output's (which may be g) from {@code gFirst}; a chunk of rows at a time. Moves the
   * pointers' positions.
   */
  static void backwardRows(FloatPointer py, long yFirst, FloatPointer pg, FloatPointer po, long gFirst, int n, int cols,
      float scale) {
    float[][] s = FLOATS.get();
    int perChunk = Math.max(1, CHUNK / cols);
    for (int done = 0; done < n; done += perChunk) {
      int rows = Math.min(perChunk, n - done);
      int len = rows * cols;
      py.position((yFirst + done) * cols).get(s[0], 0, len);
      pg.position((gFirst + done) * cols).get(s[1], 0, len);
      for (int r = 0; r < rows; r++) {
        int o = r * cols;
        float dot = RowMath.dot(s[0], s[1], o, cols);
        gradRow(s[0], s[1], s[2], o, cols, dot, scale);
      }
      po.position((gFirst + done) * cols).put(s[2], 0, len);
    }
  }

  /** In place: each of n rows of x becomes its softmax; e and keep are scratch. */
  private static void softmaxRows(float[] x, float[] e, float[] keep, int n, int cols) {
    for (int r = 0; r < n; r++) {
      int o = r * cols;
      float max = RowMath.max(x, o, cols);
      for (int i = o; i < o + cols; i++) {
        x[i] -= max;
      }
    }
    int len = n * cols;
    expLoop(x, e, keep, len);
    scaleByPowersOfTwo(x, e, keep, len);
    for (int r = 0; r < n; r++) {
      int o = r * cols;
      float inv = 1f / RowMath.sum(x, o, cols);
      for (int i = o; i < o + cols; i++) {
        x[i] *= inv;
      }
    }
  }

  /** In place: x[0, n) ← e^x for x ≤ 0 (terms below e^-75 become 0); k and keep are scratch of n. */
  static void expNonPositive(float[] x, float[] k, float[] keep, int n) {
    expLoop(x, k, keep, n);
    scaleByPowersOfTwo(x, k, keep, n);
  }

  /** x ← e^r, k ← round(x / ln 2) + ROUND (as float bits), keep ← 1 above the cutoff and 0 below, for x ≤ 0. */
  private static void expLoop(float[] x, float[] k, float[] keep, int n) {
    for (int i = 0; i < n; i++) {
      keep[i] = Math.max(0f, Math.min(1f, (x[i] - CUTOFF) * 1e30f));
      float v = Math.max(x[i], CUTOFF);
      float kb = v * LOG2E + ROUND;
      float kf = kb - ROUND;
      float r = (v - kf * LN2_HI) - kf * LN2_LO;
      k[i] = kb;
      x[i] = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720))))));
    }
  }

  /** x ← x · 2^k · keep: k sits in the low mantissa bits of ROUND + k, and shifting by 23 drops the rest. */
  private static void scaleByPowersOfTwo(float[] x, float[] k, float[] keep, int n) {
    for (int i = 0; i < n; i++) {
      x[i] = Float.intBitsToFloat(Float.floatToRawIntBits(x[i]) + (Float.floatToRawIntBits(k[i]) << 23)) * keep[i];
    }
  }

  private static void gradRow(float[] y, float[] g, float[] out, int o, int cols, float dot, float scale) {
    for (int i = o; i < o + cols; i++) {
      out[i] = scale * y[i] * (g[i] - dot);
    }
  }

  /** Which row of a broadcast bias serves each row of x: leading axes of size 1 repeat. */
  static final class BiasRows {
    private final long[] xLead;
    private final long[] biasLead;
    private final long rowsPerMatrix;

    BiasRows(long[] xShape, long[] biasShape) {
      int lead = xShape.length - 2;
      xLead = java.util.Arrays.copyOf(xShape, lead);
      biasLead = java.util.Arrays.copyOf(biasShape, lead);
      rowsPerMatrix = xShape[lead];
    }

    long of(long row) {
      long matrix = row / rowsPerMatrix;
      long inMatrix = row % rowsPerMatrix;
      long biasMatrix = 0;
      long stride = 1;
      for (int d = xLead.length - 1; d >= 0; d--) {
        long index = matrix % xLead[d];
        matrix /= xLead[d];
        biasMatrix += (biasLead[d] == 1 ? 0 : index) * stride;
        stride *= biasLead[d];
      }
      return biasMatrix * rowsPerMatrix + inMatrix;
    }
  }

}
