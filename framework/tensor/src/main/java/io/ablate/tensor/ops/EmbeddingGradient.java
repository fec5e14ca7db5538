package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of a row gather for float32 tables up to {@link #MAX_TABLE} elements: each picked
 * row's gradient added into its table row, in one pass over the upstream gradient. The general path
 * builds an (N, V) one-hot matrix and multiplies (2 MB and a 268 MFLOP product for the small
 * benchmark model's 2 048 tokens and 256 rows; N·V floats, which grows with the vocabulary).
 */
final class EmbeddingGradient {
  /** Tables up to this many elements are summed on the heap (16 MB of floats). */
  static final long MAX_TABLE = 4L << 20;
  private static final int CHUNK_ROWS = 64;

  private EmbeddingGradient() {}

  static boolean supports(INDArray g, long rows, long dim) {
    return g.dataType() == DataType.FLOAT && rows * dim <= MAX_TABLE && StridedGemm.available();
  }

  /** {@code dTable (rows, dim)}: Σ over n of g[n] into row ids[n]; g is (N, dim). */
  static INDArray scatterAdd(INDArray g, long[] ids, int rows, int dim) {
    INDArray gd = DenseCopy.of(g);
    float[] table = new float[rows * dim];
    float[] chunk = new float[CHUNK_ROWS * dim];
    FloatPointer pg = new FloatPointer(gd.data().addressPointer());
    for (int from = 0; from < ids.length; from += CHUNK_ROWS) {
      int n = Math.min(CHUNK_ROWS, ids.length - from);
      pg.position((long) from * dim).get(chunk, 0, n * dim);
      for (int r = 0; r < n; r++) {
        addRow(chunk, r * dim, table, (int) ids[from + r] * dim, dim);
      }
    }
    DenseCopy.release(gd, g);
    INDArray out = BufferPool.uninitialized(DataType.FLOAT, rows, dim);
    new FloatPointer(out.data().addressPointer()).put(table, 0, table.length);
    return out;
  }

  private static void addRow(float[] from, int f, float[] into, int t, int n) {
    for (int j = 0; j < n; j++) {
      into[t + j] += from[f + j];
    }
  }
}
