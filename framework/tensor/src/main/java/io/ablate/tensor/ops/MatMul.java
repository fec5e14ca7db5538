package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Layout;
import io.ablate.tensor.Memory;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.TensorException;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Matrix products: 2-D × 2-D, N-D × 2-D (a linear map over the last axis), and batched N-D × N-D
 * with equal batch axes. Products run as single GEMM calls into preallocated outputs (measured
 * 3-5× faster here than {@code INDArray.mmul}, which allocates and reorders its result).
 */
public final class MatMul {
  private MatMul() {}

  public static Tensor matmul(Tensor a, Tensor b) {
    check(a, b);
    if (b.rank() == 2) {
      return matmulByMatrix(a, b);
    }
    return batched(a, b);
  }

  /** {@code x · w + b} over the last axis of x, with the bias added in place. w is (in, out). */
  public static Tensor linear(Tensor x, Tensor w, Tensor bias) {
    check(x, w);
    if (w.rank() != 2) {
      throw TensorException.forOp("linear", "the weight must be 2-D (in, out)", x, w);
    }
    if (bias != null && (bias.rank() != 1 || bias.size(0) != w.size(1))) {
      throw TensorException.forOp("linear", "the bias must be 1-D of length " + w.size(1), x, w, bias);
    }
    Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
    return byMatrix("linear", x, w, bias, inputs);
  }

  private static Tensor matmulByMatrix(Tensor a, Tensor b) {
    return byMatrix("matmul", a, b, null, new Tensor[] {a, b});
  }

  /** (..., K) · (K, N) [+ bias (N)] as one GEMM over the flattened leading axes. */
  private static Tensor byMatrix(String op, Tensor a, Tensor b, Tensor bias, Tensor[] inputs) {
    long k = b.size(0);
    long n = b.size(1);
    INDArray a2 = rows(a.value(), k);                            // (M, K)
    long[] outShape = a.shape().clone();
    outShape[outShape.length - 1] = n;
    INDArray out = BufferPool.uninitialized(a.dataType(), outShape);
    INDArray out2 = rows(out, n);                                // (M, N) view of out
    if (bias != null && BiasFill.supports(out2, bias.value())) {
      BiasFill.fill(out2, bias.value());                          // out = bias in every row
      Kernels.gemm(a2, b.value(), out2, false, false, 1.0, 1.0);  // out += a · w
    } else {
      Kernels.gemm(a2, b.value(), out2, false, false, 1.0, 0.0);
      if (bias != null) {
        Kernels.addi(out2, bias.value());                         // broadcast over rows
      }
    }
    Tensor result = Tensor.fromOp(op, out, (g, grads) -> {
      INDArray g2 = rows(g, n);                                  // (M, N)
      if (a.requiresGrad()) {
        INDArray sum = grads.accumulator(a);
        if (sum != null && DenseCopy.isDense(sum)) {
          Kernels.gemm(g2, b.value(), rows(sum, k), false, true, 1.0, 1.0);  // dA += G · Bᵀ
        } else {
          INDArray ga = BufferPool.uninitialized(g.dataType(), a.shape());
          Kernels.gemm(g2, b.value(), rows(ga, k), false, true, 1.0, 0.0);   // dA = G · Bᵀ
          grads.add(a, ga);
        }
      }
      if (b.requiresGrad()) {
        INDArray sum = grads.accumulator(b);
        if (sum != null && isRowMajorMatrix(sum)) {
          Kernels.gemm(a2, g2, sum, true, false, 1.0, 1.0);     // dB += Aᵀ · G (a parameter's flat gradient)
        } else {
          grads.add(b, gemm(a2, g2, true, false));               // dB = Aᵀ · G
        }
      }
      if (bias != null && bias.requiresGrad()) {
        grads.add(bias, RowSums.sumLeading(g2));
      }
    }, inputs);
    if (!Memory.sharesBuffer(a2, a.value())) {
      result.saveForBackward(a2);                                // a copy made for a non-contiguous input
    }
    return result;
  }

  private static Tensor batched(Tensor a, Tensor b) {
    INDArray av = a.value();
    INDArray bv = b.value();
    // An output of b's shape takes b's memory order: attention's P·V then comes out in the
    // (B, T, H, Dh) order of the projection that V is a view of, and merging the heads is free.
    boolean likeB = Arrays.equals(productShape(av, bv, false, false), bv.shape()) && Layout.storageOrder(bv) != null;
    INDArray out = likeB ? bmmLike(av, bv, false, false, bv) : bmm(av, bv, false, false);
    return Tensor.fromOp("matmul", out, (g, grads) -> {
      if (a.requiresGrad()) {
        grads.add(a, bmmLike(g, bv, false, true, av));        // dA = G · Bᵀ
      }
      if (b.requiresGrad()) {
        grads.add(b, bmmLike(av, g, true, false, bv));        // dB = Aᵀ · G
      }
    }, a, b);
  }

  /** A 2-D array BLAS can write as it is: unit column stride, rows one after the other. */
  private static boolean isRowMajorMatrix(INDArray x) {
    return x.rank() == 2 && x.ordering() == 'c' && x.stride(1) == 1 && x.stride(0) == x.size(1);
  }

  /** Views a tensor as a (rows, cols) matrix, copying only if its layout requires it. */
  private static INDArray rows(INDArray a, long cols) {
    return Views.matrix(a, a.length() / cols, cols);
  }

  static INDArray gemm(INDArray a, INDArray b, boolean transA, boolean transB) {
    long m = transA ? a.size(1) : a.size(0);
    long n = transB ? b.size(0) : b.size(1);
    INDArray out = BufferPool.uninitialized(a.dataType(), m, n);
    Kernels.gemm(a, b, out, transA, transB, 1.0, 0.0);
    return out;
  }

  static INDArray bmm(INDArray a, INDArray b, boolean transA, boolean transB) {
    INDArray out = BufferPool.uninitialized(a.dataType(), productShape(a, b, transA, transB));
    Kernels.gemm(a, b, out, transA, transB, 1.0, 0.0);
    return out;
  }

  /** The shape of {@code op(a) · op(b)}: a's batch axes, then op(a)'s rows and op(b)'s columns. */
  static long[] productShape(INDArray a, INDArray b, boolean transA, boolean transB) {
    int r = a.rank();
    long[] shape = a.shape().clone();
    shape[r - 2] = transA ? a.size(r - 1) : a.size(r - 2);
    shape[r - 1] = transB ? b.size(r - 2) : b.size(r - 1);
    return shape;
  }

  /**
   * A batched product into an output laid out in memory like {@code like}, whose shape it has: the
   * gradient of a permuted view (attention's heads of a projection, {@code Kᵀ}) then comes back in
   * the view's own layout, and the permutes' backward passes it on without copying it (the copies
   * were 8-10 ms of the small benchmark model's step). An output whose batch entries are
   * column-major is computed as the transposed product {@code op(b)ᵀ · op(a)ᵀ}; one BLAS cannot
   * read falls back to a row-major output.
   */
  static INDArray bmmLike(INDArray a, INDArray b, boolean transA, boolean transB, INDArray like) {
    INDArray out = BufferPool.uninitializedLike(like);
    if (out.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(out)) {
      Kernels.gemm(a, b, out, transA, transB, 1.0, 0.0);
      return out;
    }
    if (StridedGemm.supports(a, b, out)) {
      StridedGemm.gemm(a, b, out, transA, transB, 1.0, 0.0);
      return out;
    }
    INDArray outT = swapLastTwo(out);                            // Cᵀ = op(b)ᵀ · op(a)ᵀ, row-major entries
    if (StridedGemm.supports(b, a, outT)) {
      StridedGemm.gemm(b, a, outT, !transB, !transA, 1.0, 0.0);
      return out;
    }
    Memory.release(out);
    return bmm(a, b, transA, transB);
  }

  static INDArray swapLastTwo(INDArray x) {
    int r = x.rank();
    int[] axes = new int[r];
    for (int i = 0; i < r; i++) {
      axes[i] = i;
    }
    axes[r - 2] = r - 1;
    axes[r - 1] = r - 2;
    return x.permute(axes);
  }

  private static void check(Tensor a, Tensor b) {
    if (a.rank() < 2 || b.rank() < 2) {
      throw TensorException.forOp("matmul", "both operands need rank ≥ 2", a, b);
    }
    long inner = a.size(-1);
    long other = b.size(-2);
    if (inner != other) {
      throw TensorException.forOp("matmul", "inner dimensions differ (" + inner + " vs " + other + ")", a, b);
    }
    if (b.rank() > 2) {
      long[] batchA = Arrays.copyOf(a.shape(), a.rank() - 2);
      long[] batchB = Arrays.copyOf(b.shape(), b.rank() - 2);
      if (!Arrays.equals(batchA, batchB)) {
        throw TensorException.forOp("matmul", "batched operands need equal batch axes", a, b);
      }
    }
    if (a.dataType() != b.dataType()) {
      throw TensorException.forOp("matmul", "data types differ: " + a.dataType() + " and " + b.dataType(), a, b);
    }
  }

}
