package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Memory;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.TensorException;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Reshaping, axis permutation, slicing, concatenation, row gathers and masked fills. */
public final class Shapes {
  private Shapes() {}

  /** Reshape in row-major order; one axis may be -1. A view when the input is contiguous. */
  public static Tensor reshape(Tensor a, long... shape) {
    long[] target = resolve(a, shape);
    INDArray out = a.value().reshape('c', target);
    return Tensor.fromOp("reshape", out, (g, grads) -> grads.addShared(a, Views.reshaped(g, a.shape())), a);
  }

  public static Tensor permute(Tensor a, int... axes) {
    if (axes.length != a.rank()) {
      throw TensorException.forOp("permute", "needs " + a.rank() + " axes, got " + Arrays.toString(axes), a);
    }
    int[] inverse = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      inverse[axes[i]] = i;
    }
    return Tensor.fromOp("permute", a.value().permute(axes), (g, grads) ->
        grads.addShared(a, g.permute(inverse)), a);
  }

  public static Tensor transpose(Tensor a, int first, int second) {
    int rank = a.rank();
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    int x = first < 0 ? first + rank : first;
    int y = second < 0 ? second + rank : second;
    axes[x] = y;
    axes[y] = x;
    return permute(a, axes);
  }

  /** Elements {@code start} (inclusive) to {@code end} (exclusive) along one axis; a view. */
  public static Tensor slice(Tensor a, int axis, long start, long end) {
    int d = axis < 0 ? axis + a.rank() : axis;
    if (d < 0 || d >= a.rank() || start < 0 || end > a.size(d) || start >= end) {
      throw TensorException.forOp("slice", "invalid range [" + start + ", " + end + ") on axis " + axis, a);
    }
    INDArrayIndex[] index = along(a.rank(), d, NDArrayIndex.interval(start, end));
    return Tensor.fromOp("slice", a.value().get(index), (g, grads) -> {
      INDArray full = Nd4j.zeros(g.dataType(), a.shape());
      full.get(index).assign(g);
      grads.add(a, full);
    }, a);
  }

  public static Tensor concat(int axis, Tensor... parts) {
    int rank = parts[0].rank();
    int d = axis < 0 ? axis + rank : axis;
    INDArray[] values = new INDArray[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = parts[i].value();
    }
    INDArray out;
    try {
      out = Nd4j.concat(d, values);
    } catch (RuntimeException e) {
      throw TensorException.forOp("concat", "shapes differ off axis " + axis, parts);
    }
    return Tensor.fromOp("concat", out, (g, grads) -> {
      long offset = 0;
      for (Tensor part : parts) {
        long len = part.size(d);
        grads.addShared(part, g.get(along(rank, d, NDArrayIndex.interval(offset, offset + len))));
        offset += len;
      }
    }, parts);
  }

  /**
   * Rows of a table picked by integer ids: {@code table (V, D)}, {@code ids (...)} → {@code (..., D)}.
   * Backward is one GEMM with the one-hot matrix of the ids.
   */
  public static Tensor gather(Tensor table, INDArray ids) {
    if (table.rank() != 2) {
      throw TensorException.forOp("gather", "the table must be 2-D (rows, dim)", table);
    }
    long rows = table.size(0);
    long dim = table.size(1);
    INDArray flatIds = ids.reshape(ids.length()).castTo(DataType.INT64);   // (N)
    double[] range = Kernels.minMax(flatIds);
    long min = (long) range[0];
    long max = (long) range[1];
    if (min < 0 || max >= rows) {
      throw new TensorException("gather: ids must lie in [0, " + rows + "), found [" + min + ", " + max
          + "] — ids shape " + TensorException.shape(ids.shape()) + ", table " + TensorException.shape(table.shape()));
    }
    long[] outShape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
    outShape[ids.rank()] = dim;
    INDArray out = BufferPool.uninitialized(table.dataType(), outShape);        // (..., D)
    INDArray out2 = Views.matrix(out, flatIds.length(), dim);                     // (N, D) view
    NativeOp.exec("gather", new INDArray[] {table.value(), flatIds}, new INDArray[] {out2}, 0);
    Tensor result = Tensor.fromOp("gather", out, (g, grads) -> {
      if (EmbeddingGradient.supports(g, rows, dim)) {
        grads.add(table, EmbeddingGradient.scatterAdd(Views.matrix(g, flatIds.length(), dim), flatIds.toLongVector(),
            (int) rows, (int) dim));
        return;
      }
      // dTable = onehot(ids)ᵀ · g, one GEMM: exact with repeated ids on any number of threads.
      // (libnd4j's unsorted_segment_sum leaks its per-row sub-arrays natively, ~90 % of a training
      // run's native growth in a jemalloc profile; its scatter_add races on repeated ids.)
      INDArray onehot = BufferPool.uninitialized(g.dataType(), flatIds.length(), rows);   // (N, V)
      NativeOp.exec("onehot", new INDArray[] {flatIds}, new INDArray[] {onehot}, -1, rows);
      INDArray summed = BufferPool.uninitialized(g.dataType(), rows, dim);                // (V, D)
      Kernels.gemm(onehot, Views.matrix(g, flatIds.length(), dim), summed, true, false, 1.0, 0.0);
      Memory.release(onehot);
      grads.add(table, summed);
    }, table);
    // The INT64 copy of the ids (when a cast made one) lives as long as the graph, then is freed.
    return Memory.sharesBuffer(flatIds, ids) ? result : result.saveForBackward(flatIds);
  }

  /** Where {@code mask} is non-zero (broadcast against a), the output is {@code fill}. */
  public static Tensor maskedFill(Tensor a, INDArray mask, double fill) {
    INDArray hit = mask.castTo(a.dataType()).neq(0).castTo(a.dataType());   // 1 where filled
    INDArray keep = Kernels.mul(hit, -1.0).addi(1);
    INDArray out = Kernels.addi(Kernels.mul(a.value(), keep), hit.muli(fill));
    return Tensor.fromOp("masked_fill", out, (g, grads) -> grads.addBroadcast(a, Kernels.mul(g, keep)), a)
        .saveForBackward(keep);
  }

  private static INDArrayIndex[] along(int rank, int axis, INDArrayIndex index) {
    INDArrayIndex[] out = new INDArrayIndex[rank];
    for (int i = 0; i < rank; i++) {
      out[i] = i == axis ? index : NDArrayIndex.all();
    }
    return out;
  }

  private static long[] resolve(Tensor a, long[] shape) {
    long known = 1;
    int free = -1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == -1) {
        if (free >= 0) {
          throw TensorException.forOp("reshape", "at most one -1 in " + Arrays.toString(shape), a);
        }
        free = i;
      } else {
        known *= shape[i];
      }
    }
    long[] target = shape.clone();
    long length = a.value().length();
    if (free >= 0) {
      if (known == 0 || length % known != 0) {
        throw TensorException.forOp("reshape", "cannot reshape to " + Arrays.toString(shape), a);
      }
      target[free] = length / known;
    } else if (known != length) {
      throw TensorException.forOp("reshape", "cannot reshape " + length + " elements to " + Arrays.toString(shape), a);
    }
    return target;
  }
}
