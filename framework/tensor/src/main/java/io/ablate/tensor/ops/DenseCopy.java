package io.ablate.tensor.ops;

import io.ablate.tensor.Memory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** The c-ordered, default-strided form of an array that a kernel reads as flat memory. */
final class DenseCopy {
  private DenseCopy() {}

  /** x itself when its elements lie in order from its start, else a c-ordered copy. */
  static INDArray of(INDArray x) {
    return isDense(x) ? x : x.dup('c');
  }

  static boolean isDense(INDArray x) {
    return x.ordering() == 'c' && x.offset() == 0 && Shape.hasDefaultStridesForShape(x);
  }

  /** Frees what {@link #of} copied; the original is left alone. */
  static void release(INDArray dense, INDArray original) {
    if (dense != null && dense != original) {
      Memory.release(dense);
    }
  }
}
