package io.ablate.tensor.ops;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;

/**
 * {@code softmax(scale · x + bias)} and its gradient over rows of attention scores, computed only
 * over each row's {@link HeapBias#prefix} (every column past it is masked, its weight exactly 0 and
 * written as 0): under a causal mask half the work of {@link ScaledSoftmax}'s row kernels. The
 * prefixes of a chunk of rows are packed one after another, so that the arithmetic runs as long
 * loops that read and write the same index, the form C2 (JDK 17) vectorises: moving data between
 * offsets is left to {@link System#arraycopy}. Without a bias every row is whole.
 */
final class PrefixSoftmax {
  /** Elements per chunk of rows, as in {@link ScaledSoftmax}. */
  private static final int CHUNK = ScaledSoftmax.CHUNK;
  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[4][CHUNK]);
  private static final ThreadLocal<int[]> LENGTHS = ThreadLocal.withInitial(() -> new int[CHUNK]);

  private PrefixSoftmax() {}

  /**
   * In place: rows {@code [first, first + n)} of {@code p} (rows of {@code cols} floats) become
   * {@code softmax(scale · x + bias)}, their bias rows those of score rows {@code [biasFirst, biasFirst + n)}.
   */
  static void forward(FloatPointer p, long first, int n, int cols, float scale, HeapBias bias,
      ScaledSoftmax.BiasRows biasRows, long biasFirst) {
    float[][] s = FLOATS.get();
    float[] rows = s[0];                                      // the chunk as stored
    float[] x = s[1];                                         // the prefixes, packed
    int[] lengths = LENGTHS.get();
    int perChunk = Math.max(1, CHUNK / cols);
    for (int done = 0; done < n; done += perChunk) {
      int count = Math.min(perChunk, n - done);
      p.position((first + done) * cols).get(rows, 0, count * cols);
      int packed = 0;
      for (int r = 0; r < count; r++) {
        int row = bias == null ? 0 : (int) biasRows.of(biasFirst + done + r);
        int len = bias == null ? cols : bias.prefix[row];
        lengths[r] = len;
        System.arraycopy(rows, r * cols, x, packed, len);
        if (bias != null) {
          System.arraycopy(bias.values, row * cols, s[2], packed, len);
        }
        packed += len;
      }
      multiply(x, 0, packed, scale);
      if (bias != null) {
        for (int i = 0; i < packed; i++) {
          x[i] += s[2][i];
        }
      }
      for (int r = 0, o = 0; r < count; r++) {
        int len = lengths[r];
        subtract(x, o, len, RowMath.maxBranchFree(x, o, len));   // prefixes of varying length: see maxBranchFree
        o += len;
      }
      ScaledSoftmax.expNonPositive(x, s[2], s[3], packed);
      for (int r = 0, o = 0; r < count; r++) {
        int len = lengths[r];
        multiply(x, o, len, 1f / RowMath.sum(x, o, len));
        System.arraycopy(x, o, rows, r * cols, len);
        Arrays.fill(rows, r * cols + len, (r + 1) * cols, 0f);
        o += len;
      }
      p.position((first + done) * cols).put(rows, 0, count * cols);
    }
  }

  private static void subtract(float[] x, int from, int n, float value) {
    for (int i = from; i < from + n; i++) {
      x[i] -= value;
    }
  }

  private static void multiply(float[] x, int from, int n, float value) {
    for (int i = from; i < from + n; i++) {
      x[i] *= value;
    }
  }

  /**
   * In place in {@code g}: {@code scale · y ⊙ (g − Σ g ⊙ y)} for n rows of {@code cols}, y's rows from
   * {@code yFirst}, g's from {@code gFirst}, over each row's prefix (0 past it, where y is 0).
   */
  static void backward(FloatPointer py, long yFirst, FloatPointer pg, long gFirst, int n, int cols, float scale,
      HeapBias bias, ScaledSoftmax.BiasRows biasRows, long biasFirst) {
    float[][] s = FLOATS.get();
    float[] y = s[0];
    float[] g = s[1];
    float[] out = s[2];
    int perChunk = Math.max(1, CHUNK / cols);
    for (int done = 0; done < n; done += perChunk) {
      int count = Math.min(perChunk, n - done);
      int len = count * cols;
      py.position((yFirst + done) * cols).get(y, 0, len);
      pg.position((gFirst + done) * cols).get(g, 0, len);
      for (int r = 0; r < count; r++) {
        int o = r * cols;
        int kept = bias == null ? cols : bias.prefix[(int) biasRows.of(biasFirst + done + r)];
        float dot = RowMath.dot(y, g, o, kept);
        for (int i = o; i < o + kept; i++) {
          out[i] = scale * y[i] * (g[i] - dot);
        }
        Arrays.fill(out, o + kept, o + cols, 0f);
      }
      pg.position((gFirst + done) * cols).put(out, 0, len);
    }
  }
}
