package io.ablate.tensor;

import java.util.Arrays;
import java.util.Comparator;
import org.nd4j.linalg.api.ndarray.INDArray;

/** How an array's elements lie in memory: whether they fill its buffer densely in some axis order. */
public final class Layout {
  private Layout() {}

  /**
   * The axes from slowest to fastest in memory when x's elements are those of a dense row-major
   * array in some other axis order (a permuted view of one); null when they are not (a slice, a
   * broadcast) or x is already row-major.
   */
  public static int[] storageOrder(INDArray x) {
    int r = x.rank();
    if (r < 2) {
      return null;
    }
    Integer[] axes = new Integer[r];
    for (int i = 0; i < r; i++) {
      axes[i] = i;
    }
    Arrays.sort(axes, Comparator.comparingLong((Integer i) -> -x.stride(i)).thenComparingInt(i -> i));
    int[] order = new int[r];
    long expected = 1;
    boolean identity = true;
    for (int i = r - 1; i >= 0; i--) {
      int axis = axes[i];
      order[i] = axis;
      identity &= axis == i;
      if (x.size(axis) != 1) {                                 // a size-1 axis takes no room, whatever its stride
        if (x.stride(axis) != expected) {
          return null;
        }
        expected *= x.size(axis);
      }
    }
    return identity ? null : order;
  }

  /** Whether x fills all of its buffer densely in some axis order (row-major or a permutation of it). */
  public static boolean fillsItsBuffer(INDArray x) {
    if (x.offset() != 0 || x.isView() || x.length() != x.data().length()) {
      return false;
    }
    return storageOrder(x) != null || org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x)
        && x.ordering() == 'c';
  }
}
