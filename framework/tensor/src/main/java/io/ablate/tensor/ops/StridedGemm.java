package io.ablate.tensor.ops;

import io.ablate.tensor.Lever;
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
 * <p>With several threads ({@link Lever#SPLIT_GEMM}, on by default) BLAS runs on one thread and
 * this class splits each product over the run's threads itself: batch entries in contiguous
 * ranges, a single product's rows or columns. One level of threads then owns the cores; before,
 * OpenBLAS's own threads (which spin after each call) shared them with the Java kernels between
 * products, and libnd4j's batched kernel ran the attention products at half PyTorch's rate. On the
 * small benchmark model (2 threads, AMD EPYC Zen 4) the split took the step from 461 to 360 ms,
 * faster in 5 of 5 paired rounds, and the batched products from 65-90 to ~27 ms per step
 * (2026-12-04, docs/benchmarks.md). Off, batched products with several BLAS threads go to libnd4j's
 * kernel as before (measured 2026-12-03 faster than one multi-threaded {@code sgemm} per entry).
 *
 * <p>Used only on the CPU backend for float32 and float64; {@link #supports} says when.
 */
final class StridedGemm {
  /** Below this many floating-point operations a product stays on the calling thread (a hand-off costs tens of µs). */
  static final double MIN_SPLIT_FLOPS = 4e6;
  /** Set {@code -Dablate.gemm=nd4j} to route every product through libnd4j instead (for comparison). */
  private static final boolean AVAILABLE = !"nd4j".equals(System.getProperty("ablate.gemm")) && blasLoads();

  private StridedGemm() {}

  /** Whether BLAS is reachable here (the CPU backend, and not switched off with {@code -Dablate.gemm=nd4j}). */
  static boolean available() {
    return AVAILABLE;
  }

  /** Whether {@link #gemm} can run this product (CPU backend, one float type, a row-major output). */
  static boolean supports(INDArray a, INDArray b, INDArray out) {
    DataType type = out.dataType();
    if (!AVAILABLE || (type != DataType.FLOAT && type != DataType.DOUBLE)
        || a.dataType() != type || b.dataType() != type || a.rank() != out.rank() || b.rank() != out.rank()) {
      return false;
    }
    int r = out.rank();
    if (r > 2 && blasThreads() > 1 && !Lever.SPLIT_GEMM.on()) {
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
    matchBlasThreads();
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

    /**
     * Runs every batch entry: on the calling thread, or (with {@link Lever#SPLIT_GEMM} and a product
     * worth a hand-off) split over the run's threads, each part one single-threaded BLAS call per entry
     * — the batch entries in contiguous ranges, or a single product's rows (columns when it has fewer
     * rows than columns).
     */
    void run() {
      int parts = splitParts();
      if (parts == 1) {
        entries(0, entries, 0, m, 0, n);
      } else if (entries >= parts) {
        RowParallel.split((int) entries, parts, (part, from, to) -> entries(from, to, 0, m, 0, n));
      } else if (m >= n) {
        RowParallel.split(m, parts, (part, from, to) -> entries(0, entries, from, to, 0, n));
      } else {
        RowParallel.split(n, parts, (part, from, to) -> entries(0, entries, 0, m, from, to));
      }
    }

    /** Parts to split this product into: 1 unless the lever is on, the run has threads, and it is large. */
    private int splitParts() {
      if (!Lever.SPLIT_GEMM.on()) {
        return 1;
      }
      int threads = RowParallel.threads();
      double flops = 2.0 * m * n * k * entries;
      if (threads <= 1 || flops < MIN_SPLIT_FLOPS || (entries < threads && Math.max(m, n) < 2 * threads)) {
        return 1;
      }
      return threads;
    }

    /** Entries {@code [e0, e1)}, output rows {@code [r0, r1)} and columns {@code [c0, c1)} of each. */
    private void entries(long e0, long e1, int r0, int r1, int c0, int c1) {
      Pointer pa = left.base();                                 // fresh pointers: position() is per object
      Pointer pb = right.base();
      Pointer pc = typed(out.data().addressPointer(), out.dataType());
      long[] index = indexOf(e0, out);                            // odometer over the batch axes
      int rows = r1 - r0;
      int cols = c1 - c0;
      long aShift = left.rowOffset(r0);
      long bShift = right.columnOffset(c0);
      long cShift = (long) r0 * ldc + c0;
      for (long e = e0; e < e1; e++) {
        long offA = left.offset(index) + aShift;
        long offB = right.offset(index) + bShift;
        long offC = offset(out, index) + cShift;
        if (single) {
          openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, left.op(), right.op(), rows, cols, k,
              (float) alpha, ((FloatPointer) pa).position(offA), left.ld, ((FloatPointer) pb).position(offB),
              right.ld, (float) beta, ((FloatPointer) pc).position(offC), ldc);
        } else {
          openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, left.op(), right.op(), rows, cols, k,
              alpha, ((DoublePointer) pa).position(offA), left.ld, ((DoublePointer) pb).position(offB), right.ld,
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

    /** Offset of row {@code r} of op(this) as the left operand. */
    long rowOffset(int r) {
      return transposed ? r : (long) r * ld;
    }

    /** Offset of column {@code c} of op(this) as the right operand. */
    long columnOffset(int c) {
      return transposed ? (long) c * ld : c;
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

  /** The batch axes' index of entry number {@code e} (row-major over the batch axes). */
  private static long[] indexOf(long e, INDArray shape) {
    long[] index = new long[shape.rank() - 2];
    for (int i = index.length - 1; i >= 0; i--) {
      index[i] = e % shape.size(i);
      e /= shape.size(i);
    }
    return index;
  }

  private static void advance(long[] index, INDArray shape) {
    for (int i = index.length - 1; i >= 0; i--) {
      if (++index[i] < shape.size(i)) {
        return;
      }
      index[i] = 0;
    }
  }

  /**
   * BLAS on one thread while products are split in Java (two levels of threads would share the
   * cores), else on the run's threads; checked per product because a benchmark switches the lever.
   */
  static void matchBlasThreads() {
    int wanted = Lever.SPLIT_GEMM.on() ? 1 : io.ablate.tensor.Threads.current();
    if (blasThreads() != wanted) {
      setBlasThreads(wanted);
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
