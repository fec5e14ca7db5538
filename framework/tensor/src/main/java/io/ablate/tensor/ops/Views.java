package io.ablate.tensor.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Temporary matrix views for GEMM calls. {@code reshape} in ND4J 1.0.0-M2.1 creates a native view
 * buffer it never frees (~0.5 KB per view, measured after GC); an array wrapping the same buffer
 * object at offset 0 creates none. Such an alias must never be closed (closing it would free the
 * array it aliases), so it is only for arguments of a single native call.
 */
final class Views {
  private Views() {}

  /** A row-major (rows, cols) alias of x; x itself if it already has that shape. */
  static INDArray matrix(INDArray x, long rows, long cols) {
    if (x.rank() == 2 && x.size(0) == rows && x.size(1) == cols) {
      return x;
    }
    if (x.ordering() == 'c' && x.offset() == 0 && Shape.hasDefaultStridesForShape(x) && x.length() == rows * cols) {
      return Nd4j.create(x.data(), new long[] {rows, cols}, new long[] {cols, 1}, 0, 'c', x.dataType());
    }
    return x.reshape('c', rows, cols);
  }

  /**
   * x under another shape of the same length: for a dense row-major x an array over the same buffer
   * object (no native view buffer; {@link io.ablate.tensor.Gradients} can take it over as a whole
   * gradient), else ND4J's reshape, which copies when the layout requires it.
   */
  static INDArray reshaped(INDArray x, long[] shape) {
    if (x.ordering() == 'c' && x.offset() == 0 && Shape.hasDefaultStridesForShape(x) && !x.isView()) {
      return Nd4j.create(x.data(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c', x.dataType());
    }
    return x.reshape('c', shape);
  }
}
