package io.ablate.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** NumPy-style broadcasting rules: shape checks forward, gradient reduction backward. */
public final class Broadcast {
  private Broadcast() {}

  /** The broadcast shape of two shapes, or null if they are incompatible. */
  public static long[] shape(long[] a, long[] b) {
    int rank = Math.max(a.length, b.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        return null;
      }
      out[i] = Math.max(da, db);
    }
    return out;
  }

  /** True when the summed axes are exactly 0..count-1 (so the target is a suffix, perhaps with 1s). */
  private static boolean leadingOnly(int[] axes, int count) {
    for (int i = 0; i < count; i++) {
      if (axes[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** Sums {@code grad} (of a broadcast output shape) over the axes that broadcasting expanded. */
  static INDArray reduceTo(INDArray grad, long[] target) {
    long[] shape = grad.shape();
    int lead = shape.length - target.length;
    int[] axes = new int[shape.length];
    int count = 0;
    for (int i = 0; i < shape.length; i++) {
      boolean expanded = i < lead || (target[i - lead] == 1 && shape[i] != 1);
      if (expanded) {
        axes[count++] = i;
      }
    }
    if (count > 0 && leadingOnly(axes, count)) {
      // The common case (a bias or a position table added to a batch): one GEMM with ones.
      return io.ablate.tensor.ops.RowSums.sumLeading(grad, target);
    }
    INDArray summed = count == 0 ? grad.dup() : io.ablate.tensor.ops.Kernels.sum(grad, true, Arrays.copyOf(axes, count));
    if (Arrays.equals(summed.shape(), target)) {
      return summed;
    }
    INDArray reshaped = summed.reshape(target).dup();
    Memory.release(summed);
    return reshaped;
  }
}
