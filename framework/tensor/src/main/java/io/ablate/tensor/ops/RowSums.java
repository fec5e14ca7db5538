package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Lever;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sums along the rows or columns of a row-major (N, C) view, computed as a product with a vector of
 * ones. libnd4j's reductions over leading axes are slow here (a (2048, 1024) column sum took 12 ms
 * where the GEMM with ones takes 1.2 ms), and gradients of biases, gains and broadcast adds are
 * exactly such sums.
 */
public final class RowSums {
  private static final Map<String, INDArray> ONES = new ConcurrentHashMap<>();

  private RowSums() {}

  /** Σ over all leading axes of {@code x (..., C)} → {@code (C)}. */
  public static INDArray sumLeading(INDArray x) {
    return sumLeading(x, new long[] {x.size(x.rank() - 1)});
  }

  /** Σ over the leading axes of x, keeping trailing axes of the given shape → {@code outShape}. */
  public static INDArray sumLeading(INDArray x, long[] outShape) {
    long c = 1;
    for (long d : outShape) {
      c *= d;
    }
    long n = x.length() / c;
    INDArray dense = DenseCopy.of(x);
    INDArray out = BufferPool.uninitialized(x.dataType(), outShape);
    if (byGemv(dense)) {
      gemv(dense, n, c, true, onesColumn(x.dataType(), n), out, 1.0);
    } else {
      Kernels.gemm(onesRow(x.dataType(), n), matrix(dense, n, c), matrix(out, 1, c), false, false, 1.0, 0.0);
    }
    DenseCopy.release(dense, x);
    return out;
  }

  /** Σ over the last axis of {@code x (..., C)} → {@code (..., 1)}. */
  public static INDArray sumLast(INDArray x) {
    return lastAxis(x, 1.0);
  }

  /** Mean over the last axis of {@code x (..., C)} → {@code (..., 1)}. */
  public static INDArray meanLast(INDArray x) {
    return lastAxis(x, 1.0 / x.size(x.rank() - 1));
  }

  private static INDArray lastAxis(INDArray x, double scale) {
    long c = x.size(x.rank() - 1);
    long n = x.length() / c;
    INDArray dense = DenseCopy.of(x);
    long[] shape = x.shape().clone();
    shape[shape.length - 1] = 1;
    INDArray out = BufferPool.uninitialized(x.dataType(), shape);
    if (byGemv(dense)) {
      gemv(dense, n, c, false, onesColumn(x.dataType(), c), out, scale);
    } else {
      Kernels.gemm(matrix(dense, n, c), onesColumn(x.dataType(), c), matrix(out, n, 1), false, false, scale, 0.0);
    }
    DenseCopy.release(dense, x);
    return out;
  }

  /**
   * Whether a sum runs as BLAS's matrix-vector product: a product with a one-row matrix goes through
   * GEMM's packing, which copies the whole input first (a (2048, 1024) column sum: 0.58-0.62 ms as a
   * GEMM, 0.10 ms as {@code sgemv}, measured 2026-12-04).
   */
  private static boolean byGemv(INDArray dense) {
    DataType t = dense.dataType();
    return Lever.FUSED_BIAS.on() && StridedGemm.available() && (t == DataType.FLOAT || t == DataType.DOUBLE);
  }

  /**
   * {@code out = scale · xᵀ · ones} (column sums, {@code columns}) or {@code scale · x · ones} (row
   * sums) of the dense row-major {@code x (n, c)}.
   */
  private static void gemv(INDArray x, long n, long c, boolean columns, INDArray ones, INDArray out, double scale) {
    int trans = columns ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    if (x.dataType() == DataType.FLOAT) {
      openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, trans, (int) n, (int) c, (float) scale,
          new FloatPointer(x.data().addressPointer()), (int) c, new FloatPointer(ones.data().addressPointer()), 1,
          0f, new FloatPointer(out.data().addressPointer()), 1);
    } else {
      openblas_nolapack.cblas_dgemv(openblas_nolapack.CblasRowMajor, trans, (int) n, (int) c, scale,
          new DoublePointer(x.data().addressPointer()), (int) c, new DoublePointer(ones.data().addressPointer()), 1,
          0.0, new DoublePointer(out.data().addressPointer()), 1);
    }
  }

  /**
   * The array as a (rows, cols) matrix: itself when it already has that shape. Every view costs
   * ND4J M2.1 ~0.2 KB of native memory it never frees, so none is made when none is needed.
   */
  private static INDArray matrix(INDArray x, long rows, long cols) {
    return Views.matrix(x, rows, cols);
  }



  /** Shared, never-released ones of shape (1, n). */
  private static INDArray onesRow(DataType type, long n) {
    return ONES.computeIfAbsent(type + ":1x" + n, k -> Nd4j.ones(type, 1, n));
  }

  /** Shared, never-released ones of shape (n, 1). */
  private static INDArray onesColumn(DataType type, long n) {
    return ONES.computeIfAbsent(type + ":" + n + "x1", k -> Nd4j.ones(type, n, 1));
  }
}
