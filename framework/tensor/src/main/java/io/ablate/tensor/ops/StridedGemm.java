package io.ablate.tensor.ops;

import io.ablate.tensor.Memory;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products straight into BLAS, reading each operand through its strides.
 *
 * <p>libnd4j's {@code matmul} handles a batched product of rank-3+ arrays with its own loops, not
 * BLAS, and a permuted or transposed view (attention's {@code (B, H, T, Dh)} heads of a
 * {@code (B, T, H·Dh)} projection, {@code Kᵀ}) through a generic strided path: for the tiny
 * benchmark model's {@code Q·Kᵀ} on one thread, 0.47-0.52 ms against 0.13 ms with one {@code sgemm}
 * per batch entry (measured). Every batch entry of such a view is still an ordinary BLAS
 * matrix — row-major with leading dimension {@code stride[-2]} when {@code stride[-1] == 1}, or
 * column-major (a transposed row-major one) when {@code stride[-2] == 1} — so this class calls
 * {@code cblas_?gemm} once per entry at the entry's offset, with no copy and no ND4J op context.
 * Operands with any other layout are copied to row-major first.
 *
 * <p>Batched products take this path only when BLAS runs on one thread. With more, libnd4j's
 * batched kernel, which spreads the entries over its threads, was faster on the small benchmark
 * model (2 threads: 623-628 ms/step against 628-656 with one multi-threaded {@code sgemm} per entry,
 * and 655-702 when BLAS was switched to one thread per entry and the entries split over threads);
 * on one thread this path wins (tiny: 26.1-26.8 against 28.3-28.5 ms/step). Measured 2026-12-03,
 * docs/benchmarks.md.
 *
 * <p>Used only on the CPU backend for float32 and float64; {@link #supports} says when.
 */
final class StridedGemm {
  /** Set {@code -Dablate.gemm=nd4j} to route every product through libnd4j instead (for comparison). */
  private static final boolean AVAILABLE = !"nd4j".equals(System.getProperty("ablate.gemm")) && blasLoads();

  private StridedGemm() {}

  /** Whether {@link #gemm} can run this product (CPU backend, one float type, a row-major output). */
  static boolean supports(INDArray a, INDArray b, INDArray out) {
    DataType type = out.dataType();
    if (!AVAILABLE || (type != DataType.FLOAT && type != DataType.DOUBLE)
        || a.dataType() != type || b.dataType() != type || a.rank() != out.rank() || b.rank() != out.rank()) {
      return false;
    }
    int r = out.rank();
    if (r > 2 && blasThreads() > 1) {
      return false;   // libnd4j's batched kernel spreads the entries over its threads: faster then (see above)
    }
    for (int i = 0; i < r - 2; i++) {
      if (a.size(i) != out.size(i) || b.size(i) != out.size(i)) {
        return false;
      }
    }
    boolean rowMajor = out.size(r - 1) == 1 || out.stride(r - 1) == 1;
    return rowMajor && (out.size(r - 2) == 1 || out.stride(r - 2) >= out.size(r - 1));
  }

  /**
   * {@code out = alpha · op(a) · op(b) + beta · out} for every batch entry (the leading axes, equal
   * in all three). Call only when {@link #supports} is true.
   */
  static void gemm(INDArray a, INDArray b, INDArray out, boolean transA, boolean transB, double alpha, double beta) {
    Product p = new Product(a, b, out, transA, transB, alpha, beta);
    try {
      p.run();
    } finally {
      p.release();
    }
  }

  /** One (batched) product: the operands as BLAS reads them, and how many batch entries. */
  private static final class Product {
    final Operand left;
    final Operand right;
    final INDArray out;
    final int m;
    final int n;
    final int k;
    final int ldc;
    final long entries;
    final boolean single;
    final double alpha;
    final double beta;

    Product(INDArray a, INDArray b, INDArray out, boolean transA, boolean transB, double alpha, double beta) {
      int r = out.rank();
      this.out = out;
      this.m = (int) out.size(r - 2);
      this.n = (int) out.size(r - 1);
      this.k = (int) (transA ? a.size(r - 2) : a.size(r - 1));
      this.left = Operand.of(a, transA);
      this.right = Operand.of(b, transB);
      this.ldc = m == 1 ? Math.max(1, n) : (int) out.stride(r - 2);
      this.entries = out.length() / Math.max(1, (long) m * n);
      this.single = out.dataType() == DataType.FLOAT;
      this.alpha = alpha;
      this.beta = beta;
    }

    /** Runs every batch entry. */
    void run() {
      Pointer pa = left.base();
      Pointer pb = right.base();
      Pointer pc = typed(out.data().addressPointer(), out.dataType());
      long[] index = new long[out.rank() - 2];                  // odometer over the batch axes
      for (long e = 0; e < entries; e++) {
        long offA = left.offset(index);
        long offB = right.offset(index);
        long offC = offset(out, index);
        if (single) {
          openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, left.op(), right.op(), m, n, k, (float) alpha,
              ((FloatPointer) pa).position(offA), left.ld, ((FloatPointer) pb).position(offB), right.ld,
              (float) beta, ((FloatPointer) pc).position(offC), ldc);
        } else {
          openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, left.op(), right.op(), m, n, k, alpha,
              ((DoublePointer) pa).position(offA), left.ld, ((DoublePointer) pb).position(offB), right.ld,
              beta, ((DoublePointer) pc).position(offC), ldc);
        }
        advance(index, out);
      }
    }

    void release() {
      left.release();
      right.release();
    }
  }

  /** One operand as BLAS sees it: a base pointer, a leading dimension and whether to transpose. */
  private static final class Operand {
    final INDArray array;         // the operand, or its row-major copy
    final boolean copied;
    final boolean transposed;     // what to pass to BLAS, after reading a column-major layout as Aᵀ
    final int ld;

    private Operand(INDArray array, boolean copied, boolean transposed, int ld) {
      this.array = array;
      this.copied = copied;
      this.transposed = transposed;
      this.ld = ld;
    }

    static Operand of(INDArray x, boolean trans) {
      int r = x.rank();
      long rows = x.size(r - 2);
      long cols = x.size(r - 1);
      long rowStride = x.stride(r - 2);
      long colStride = x.stride(r - 1);
      if (rows == 1 || cols == 1 || colStride == 1 || rowStride == 1) {
        if ((colStride == 1 || cols == 1) && rowStride >= Math.max(1, cols)) {
          return new Operand(x, false, trans, (int) rowStride);                  // row-major
        }
        if (rows == 1 && (colStride == 1 || cols == 1)) {
          return new Operand(x, false, trans, (int) Math.max(1, cols));          // a single row
        }
        if ((rowStride == 1 || rows == 1) && colStride >= Math.max(1, rows)) {
          return new Operand(x, false, !trans, (int) colStride);                 // column-major = (row-major)ᵀ
        }
        if (cols == 1 && (rowStride == 1 || rows == 1)) {
          return new Operand(x, false, !trans, (int) Math.max(1, rows));         // a single column
        }
      }
      INDArray copy = x.dup('c');
      return new Operand(copy, true, trans, (int) Math.max(1, cols));
    }

    Pointer base() {
      return typed(array.data().addressPointer(), array.dataType());
    }

    int op() {
      return transposed ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }

    long offset(long[] index) {
      return StridedGemm.offset(array, index);
    }

    void release() {
      if (copied) {
        Memory.release(array);
      }
    }
  }

  /** A typed pointer at the array's first element, whose {@code position} then counts elements. */
  private static Pointer typed(Pointer address, DataType type) {
    return type == DataType.FLOAT ? new FloatPointer(address) : new DoublePointer(address);
  }

  /** Element offset of a batch entry, from the batch axes' strides. */
  private static long offset(INDArray x, long[] index) {
    long off = 0;
    for (int i = 0; i < index.length; i++) {
      off += index[i] * x.stride(i);
    }
    return off;
  }

  private static void advance(long[] index, INDArray shape) {
    for (int i = index.length - 1; i >= 0; i--) {
      if (++index[i] < shape.size(i)) {
        return;
      }
      index[i] = 0;
    }
  }

  private static int blasThreads() {
    return org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
  }

  private static void setBlasThreads(int threads) {
    org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
  }

  private static boolean blasLoads() {
    try {
      if (!"CpuBackend".equals(Nd4j.getBackend().getClass().getSimpleName())) {
        return false;
      }
      openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans, openblas_nolapack.CblasNoTrans, 1, 1, 1, 1f,
          new FloatPointer(1f), 1, new FloatPointer(1f), 1, 0f, new FloatPointer(1), 1);
      return true;
    } catch (Throwable e) {
      return false;
    }
  }
}
