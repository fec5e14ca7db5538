package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Memory;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.TensorException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Sums, means and variances over axes (negative axes count from the end). */
public final class Reductions {
  private Reductions() {}

  public static Tensor sumAll(Tensor a) {
    long[] shape = a.shape();
    INDArray out = Nd4j.scalar(a.dataType(), Kernels.sumAll(a.value()));
    return Tensor.fromOp("sum", out, (g, grads) -> grads.add(a, filled(a.value(), g.getDouble(0))), a);
  }

  public static Tensor meanAll(Tensor a) {
    long n = a.value().length();
    INDArray out = Nd4j.scalar(a.dataType(), Kernels.sumAll(a.value()) / n);
    return Tensor.fromOp("mean", out, (g, grads) -> grads.add(a, filled(a.value(), g.getDouble(0) / n)), a);
  }

  public static Tensor sum(Tensor a, boolean keepDims, int... axes) {
    int[] dims = normalise(a, axes);
    return Tensor.fromOp("sum", Kernels.sum(a.value(), keepDims, dims), (g, grads) ->
        grads.add(a, expand(g, a.shape(), dims, 1.0)), a);
  }

  public static Tensor mean(Tensor a, boolean keepDims, int... axes) {
    int[] dims = normalise(a, axes);
    double count = count(a.shape(), dims);
    return Tensor.fromOp("mean", Kernels.mean(a.value(), keepDims, dims), (g, grads) ->
        grads.add(a, expand(g, a.shape(), dims, 1.0 / count)), a);
  }

  /** Population variance (divides by N), as used by normalisation layers. */
  public static Tensor variance(Tensor a, boolean keepDims, int... axes) {
    int[] dims = normalise(a, axes);
    double count = count(a.shape(), dims);
    INDArray mean = Kernels.mean(a.value(), true, dims);
    INDArray centered = Kernels.sub(a.value(), mean);
    Memory.release(mean);
    INDArray squares = Kernels.mul(centered, centered);
    INDArray out = Kernels.sum(squares, keepDims, dims).divi(count);
    Memory.release(squares);
    return Tensor.fromOp("variance", out, (g, grads) -> {
      INDArray expanded = expand(g, a.shape(), dims, 2.0 / count);   // dVar/dx = 2(x − mean)/N
      grads.add(a, Kernels.muli(expanded, centered));
    }, a).saveForBackward(centered);
  }

  /** Broadcasts a reduced gradient back to the input shape, times a factor. */
  private static INDArray expand(INDArray g, long[] shape, int[] dims, double factor) {
    INDArray keep = g.reshape(keptShape(shape, dims));
    INDArray out = BufferPool.uninitialized(g.dataType(), shape);
    Kernels.addi(out.assign(0), keep);
    if (factor != 1.0) {
      out.muli(factor);
    }
    return out;
  }

  private static INDArray filled(INDArray like, double v) {
    return BufferPool.uninitialized(like.dataType(), like.shape()).assign(v);
  }

  private static long[] keptShape(long[] shape, int[] dims) {
    long[] kept = shape.clone();
    for (int d : dims) {
      kept[d] = 1;
    }
    return kept;
  }

  private static double count(long[] shape, int[] dims) {
    double n = 1;
    for (int d : dims) {
      n *= shape[d];
    }
    return n;
  }

  static int[] normalise(Tensor a, int[] axes) {
    int rank = a.rank();
    int[] dims = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int d = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (d < 0 || d >= rank) {
        throw TensorException.forOp("reduce", "axis " + axes[i] + " out of range for rank " + rank, a);
      }
      dims[i] = d;
    }
    java.util.Arrays.sort(dims);
    return dims;
  }
}
