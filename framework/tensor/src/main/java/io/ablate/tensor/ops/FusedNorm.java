package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Lever;
import io.ablate.tensor.Memory;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LayerNorm and RMSNorm over the last axis as Java loops: one pass over each row forward and one
 * backward, with the gain and bias gradients summed in the same pass.
 *
 * <p>The libnd4j chain these replace ran about twelve array passes forward and backward (mean,
 * centre, square, mean, pow, scale, affine; then the products and row means of the gradient) and
 * took 50 ms of the small benchmark model's step against PyTorch's 3 ms (measured with
 * {@code --profile} and torch.profiler, 2026-12-04). Rows are processed in chunks that stay in
 * cache; row sums use eight independent accumulators (C2 does not vectorise a float reduction).
 * Float64 takes the same passes with doubles, for the finite-difference checks. Off with
 * {@code -Dablate.fusedNorm=false} or {@code -Dablate.heapKernels=false}.
 */
final class FusedNorm {
  /** Rows per chunk are chosen so that a chunk holds about this many elements. */
  private static final int CHUNK = 8192;
  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[6][CHUNK]);

  private FusedNorm() {}

  /** What the forward pass keeps for backward: the normalised input and 1/σ per row. */
  record Saved(INDArray xhat, INDArray rstd) {}

  /** The forward result: the output and what backward needs. */
  record Forward(INDArray out, Saved saved) {}

  /** The gradients backward produces; each is null when not asked for. */
  record Grads(INDArray dx, INDArray dgain, INDArray dbias) {}

  static boolean supports(INDArray x) {
    return Lever.FUSED_NORM.on() && Gelu.supports(x) && x.size(x.rank() - 1) <= CHUNK;
  }

  /**
   * {@code xhat = (x − mean) · rstd} (no mean when not centred), {@code rstd = 1/√(mean((x −
   * mean)²) + eps)}, {@code out = xhat · gain + bias}; gain and bias (D) may be null.
   */
  static Forward forward(INDArray x, INDArray gain, INDArray bias, double eps, boolean centred) {
    return run(x, gain, bias, eps, centred, true);
  }

  /**
   * The output of {@link #forward} alone, for a pass that records nothing: no normalised copy or
   * 1/σ is written (in float32; float64, for the checks, computes both and frees them).
   */
  static INDArray output(INDArray x, INDArray gain, INDArray bias, double eps, boolean centred) {
    return run(x, gain, bias, eps, centred, false).out();
  }

  /** The forward pass; without {@code keep}, a float32 pass writes neither xhat nor rstd (saved is null). */
  private static Forward run(INDArray x, INDArray gain, INDArray bias, double eps, boolean centred, boolean keep) {
    int cols = (int) x.size(x.rank() - 1);
    int rows = (int) (x.length() / cols);
    boolean single = x.dataType() == DataType.FLOAT;
    INDArray xd = DenseCopy.of(x);
    INDArray out = BufferPool.uninitialized(x.dataType(), x.shape());
    INDArray xhat = keep || !single ? BufferPool.uninitialized(x.dataType(), x.shape()) : null;
    long[] statShape = x.shape().clone();
    statShape[statShape.length - 1] = 1;
    INDArray rstd = keep || !single ? BufferPool.uninitialized(x.dataType(), statShape) : null;   // (..., 1)
    if (single) {
      float[] gv = vector(gain, cols, 1f);
      float[] bv = vector(bias, cols, 0f);
      RowParallel.run(rows, cols, (part, from, to) -> forwardFloat(xd, gv, bv, (float) eps, centred, xhat, out, rstd,
          from, to));
    } else {
      forwardDouble(xd, gain, bias, eps, centred, xhat, out, rstd, rows, cols);
    }
    DenseCopy.release(xd, x);
    if (!keep) {
      Memory.releaseAll(xhat, rstd);
      return new Forward(out, null);
    }
    return new Forward(out, new Saved(xhat, rstd));
  }

  /**
   * With {@code dxhat = g · gain}: {@code dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat ·
   * xhat))} (no {@code mean(dxhat)} term when not centred), {@code dgain = Σ g · xhat},
   * {@code dbias = Σ g} over every row.
   */
  static Grads backward(INDArray g, Saved saved, INDArray gain, boolean centred, boolean wantX, boolean wantGain,
      boolean wantBias) {
    INDArray xhat = saved.xhat();
    int cols = (int) xhat.size(xhat.rank() - 1);
    int rows = (int) (xhat.length() / cols);
    INDArray gd = DenseCopy.of(g);
    INDArray dx = wantX ? BufferPool.uninitialized(g.dataType(), xhat.shape()) : null;
    INDArray dgain = wantGain ? BufferPool.uninitialized(g.dataType(), cols) : null;
    INDArray dbias = wantBias ? BufferPool.uninitialized(g.dataType(), cols) : null;
    if (g.dataType() == DataType.FLOAT) {
      backwardFloat(gd, saved, gain, centred, dx, dgain, dbias, rows, cols);
    } else {
      backwardDouble(gd, saved, gain, centred, dx, dgain, dbias, rows, cols);
    }
    DenseCopy.release(gd, g);
    return new Grads(dx, dgain, dbias);
  }

  /** Rows {@code [start, end)}, a chunk of rows at a time; xhat and rstd may be null (not kept). */
  private static void forwardFloat(INDArray x, float[] gv, float[] bv, float eps, boolean centred, INDArray xhat,
      INDArray out, INDArray rstd, int start, int end) {
    int cols = gv.length;
    float[][] s = FLOATS.get();
    float[] r = new float[Math.max(1, CHUNK / cols)];
    int perChunk = r.length;
    float[] gain = repeated(gv, perChunk, s[3]);
    float[] bias = repeated(bv, perChunk, s[4]);
    FloatPointer px = pointer(x);
    FloatPointer ph = xhat == null ? null : pointer(xhat);
    FloatPointer po = pointer(out);
    FloatPointer pr = rstd == null ? null : pointer(rstd);
    for (int from = start; from < end; from += perChunk) {
      int n = Math.min(perChunk, end - from);
      int len = n * cols;
      px.position((long) from * cols).get(s[0], 0, len);
      for (int row = 0; row < n; row++) {
        r[row] = normaliseRow(s[0], row * cols, cols, eps, centred);
      }
      affine(s[0], s[1], gain, bias, len);
      if (ph != null) {
        ph.position((long) from * cols).put(s[0], 0, len);
        pr.position(from).put(r, 0, n);
      }
      po.position((long) from * cols).put(s[1], 0, len);
    }
  }

  /** {@code copies} copies of v one after another, in {@code into}. */
  private static float[] repeated(float[] v, int copies, float[] into) {
    for (int c = 0; c < copies; c++) {
      System.arraycopy(v, 0, into, c * v.length, v.length);
    }
    return into;
  }

  /** Every row, split over threads; each range sums its own gain and bias gradients, added at the end. */
  private static void backwardFloat(INDArray g, Saved saved, INDArray gain, boolean centred, INDArray dx,
      INDArray dgain, INDArray dbias, int rows, int cols) {
    float[] gv = vector(gain, cols, 1f);
    int parts = RowParallel.parts(rows, cols);
    float[][] sumGx = new float[parts][cols];
    float[][] sumG = new float[parts][cols];
    RowParallel.run(rows, cols, (part, from, to) -> backwardRows(g, saved, gv, centred, dx, sumGx[part], sumG[part],
        from, to));
    for (int p = 1; p < parts; p++) {
      for (int j = 0; j < cols; j++) {
        sumGx[0][j] += sumGx[p][j];
        sumG[0][j] += sumG[p][j];
      }
    }
    if (dgain != null) {
      pointer(dgain).put(sumGx[0], 0, cols);
    }
    if (dbias != null) {
      pointer(dbias).put(sumG[0], 0, cols);
    }
  }

  /**
   * Rows {@code [start, end)}: dx (when asked for) and this range's sums of g·xhat and g. The sums
   * gather per row slot of a chunk and fold into (D) at the end, so that every loop reads and writes
   * its arrays at one index (C2 does not vectorise a loop that mixes {@code a[j]} and {@code b[o + j]}:
   * 4-6× slower here, measured).
   */
  private static void backwardRows(INDArray g, Saved saved, float[] gv, boolean centred, INDArray dx, float[] sumGx,
      float[] sumG, int start, int end) {
    int cols = gv.length;
    float[][] s = FLOATS.get();
    float[] r = new float[Math.max(1, CHUNK / cols)];
    int perChunk = r.length;
    float[] gain = repeated(gv, perChunk, s[3]);
    float[] slotsGx = s[4];
    float[] slotsG = s[5];
    java.util.Arrays.fill(slotsGx, 0, perChunk * cols, 0f);
    java.util.Arrays.fill(slotsG, 0, perChunk * cols, 0f);
    FloatPointer pg = pointer(g);
    FloatPointer ph = pointer(saved.xhat());
    FloatPointer pr = pointer(saved.rstd());
    FloatPointer pd = dx == null ? null : pointer(dx);
    for (int from = start; from < end; from += perChunk) {
      int n = Math.min(perChunk, end - from);
      int len = n * cols;
      pg.position((long) from * cols).get(s[0], 0, len);
      ph.position((long) from * cols).get(s[1], 0, len);
      pr.position(from).get(r, 0, n);
      accumulate(s[0], s[1], slotsGx, slotsG, len);
      if (pd != null) {
        multiply(s[0], gain, s[2], len);                                        // dxhat = g · gain
        for (int row = 0; row < n; row++) {
          inputGradientRow(s[2], s[1], row * cols, cols, r[row], centred);
        }
        pd.position((long) from * cols).put(s[2], 0, len);
      }
    }
    for (int slot = 0; slot < perChunk; slot++) {
      fold(slotsGx, slot * cols, sumGx);
      fold(slotsG, slot * cols, sumG);
    }
  }

  // Each loop below is its own small method over plain array parameters: the shape in which C2
  // (JDK 17) unrolls and vectorises a loop.

  /** Centres (when asked) and scales x[o, o + cols) in place to unit mean square; returns 1/σ. */
  private static float normaliseRow(float[] x, int o, int cols, float eps, boolean centred) {
    float mean = centred ? RowMath.sum(x, o, cols) / cols : 0f;
    for (int i = o; i < o + cols; i++) {
      x[i] -= mean;
    }
    float inv = (float) (1.0 / Math.sqrt(RowMath.dot(x, x, o, cols) / cols + eps));
    for (int i = o; i < o + cols; i++) {
      x[i] *= inv;
    }
    return inv;
  }

  /** out[i] = xhat[i] · gain[i] + bias[i] over [0, n). */
  private static void affine(float[] xhat, float[] out, float[] gain, float[] bias, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = xhat[i] * gain[i] + bias[i];
    }
  }

  /** slotsGx[i] += g[i] · xhat[i] and slotsG[i] += g[i] over [0, n). */
  private static void accumulate(float[] g, float[] xhat, float[] slotsGx, float[] slotsG, int n) {
    for (int i = 0; i < n; i++) {
      slotsGx[i] += g[i] * xhat[i];
    }
    for (int i = 0; i < n; i++) {
      slotsG[i] += g[i];
    }
  }

  /** out[i] = a[i] · b[i] over [0, n). */
  private static void multiply(float[] a, float[] b, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = a[i] * b[i];
    }
  }

  /** into[j] += slots[o + j] for every column j (once per row slot and range). */
  private static void fold(float[] slots, int o, float[] into) {
    for (int j = 0; j < into.length; j++) {
      into[j] += slots[o + j];
    }
  }

  /** In place on dx[o, o + cols), which holds dxhat: rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)). */
  private static void inputGradientRow(float[] dx, float[] xhat, int o, int cols, float rstd, boolean centred) {
    float m1 = centred ? RowMath.sum(dx, o, cols) / cols : 0f;
    float m2 = RowMath.dot(dx, xhat, o, cols) / cols;
    for (int i = o; i < o + cols; i++) {
      dx[i] = rstd * (dx[i] - m1 - xhat[i] * m2);
    }
  }

  private static void forwardDouble(INDArray x, INDArray gain, INDArray bias, double eps, boolean centred,
      INDArray xhat, INDArray out, INDArray rstd, int rows, int cols) {
    double[] gv = doubles(gain, cols, 1);
    double[] bv = doubles(bias, cols, 0);
    double[] a = new double[cols];
    double[] b = new double[cols];
    DoublePointer px = new DoublePointer(x.data().addressPointer());
    DoublePointer ph = new DoublePointer(xhat.data().addressPointer());
    DoublePointer po = new DoublePointer(out.data().addressPointer());
    DoublePointer pr = new DoublePointer(rstd.data().addressPointer());
    for (int row = 0; row < rows; row++) {
      px.position((long) row * cols).get(a, 0, cols);
      double mean = 0;
      if (centred) {
        for (double v : a) {
          mean += v;
        }
        mean /= cols;
      }
      double squares = 0;
      for (int j = 0; j < cols; j++) {
        a[j] -= mean;
        squares += a[j] * a[j];
      }
      double inv = 1.0 / Math.sqrt(squares / cols + eps);
      for (int j = 0; j < cols; j++) {
        a[j] *= inv;
        b[j] = a[j] * gv[j] + bv[j];
      }
      ph.position((long) row * cols).put(a, 0, cols);
      po.position((long) row * cols).put(b, 0, cols);
      pr.put(row, inv);
    }
  }

  private static void backwardDouble(INDArray g, Saved saved, INDArray gain, boolean centred, INDArray dx,
      INDArray dgain, INDArray dbias, int rows, int cols) {
    double[] gv = doubles(gain, cols, 1);
    double[] sumGx = new double[cols];
    double[] sumG = new double[cols];
    double[] gr = new double[cols];
    double[] h = new double[cols];
    double[] d = new double[cols];
    DoublePointer pg = new DoublePointer(g.data().addressPointer());
    DoublePointer ph = new DoublePointer(saved.xhat().data().addressPointer());
    DoublePointer pr = new DoublePointer(saved.rstd().data().addressPointer());
    DoublePointer pd = dx == null ? null : new DoublePointer(dx.data().addressPointer());
    for (int row = 0; row < rows; row++) {
      pg.position((long) row * cols).get(gr, 0, cols);
      ph.position((long) row * cols).get(h, 0, cols);
      double m1 = 0;
      double m2 = 0;
      for (int j = 0; j < cols; j++) {
        sumGx[j] += gr[j] * h[j];
        sumG[j] += gr[j];
        d[j] = gr[j] * gv[j];
        m1 += d[j];
        m2 += d[j] * h[j];
      }
      if (pd == null) {
        continue;
      }
      m1 = centred ? m1 / cols : 0;
      m2 /= cols;
      double inv = pr.get(row);
      for (int j = 0; j < cols; j++) {
        d[j] = inv * (d[j] - m1 - h[j] * m2);
      }
      pd.position((long) row * cols).put(d, 0, cols);
    }
    if (dgain != null) {
      new DoublePointer(dgain.data().addressPointer()).put(sumGx, 0, cols);
    }
    if (dbias != null) {
      new DoublePointer(dbias.data().addressPointer()).put(sumG, 0, cols);
    }
  }

  private static FloatPointer pointer(INDArray x) {
    return new FloatPointer(x.data().addressPointer());
  }

  /** A (D) gain or bias as floats, or {@code fill} everywhere when absent. */
  private static float[] vector(INDArray v, int cols, float fill) {
    float[] out = v == null ? new float[cols] : v.toFloatVector();
    if (v == null) {
      java.util.Arrays.fill(out, fill);
    }
    return out;
  }

  private static double[] doubles(INDArray v, int cols, double fill) {
    double[] out = v == null ? new double[cols] : v.toDoubleVector();
    if (v == null) {
      java.util.Arrays.fill(out, fill);
    }
    return out;
  }
}
