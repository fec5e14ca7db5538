package io.ablate.tensor.ops;

import io.ablate.tensor.Lever;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a bias into every row of a linear map's output before the product, which BLAS then adds
 * onto ({@code beta = 1}) — the way PyTorch's {@code addmm} does it. BLAS clears the output before
 * a {@code beta = 0} product anyway, so writing the bias there costs that pass and saves the
 * separate broadcast add, which read and wrote the whole output again after the product.
 */
final class BiasFill {
  /** A block of bias rows is about this many floats: a few kilobytes copied per native call. */
  private static final int BLOCK = 4096;

  private BiasFill() {}

  /** Whether {@link #fill} can write this output: float32, dense, BLAS available, the lever on. */
  static boolean supports(INDArray out, INDArray bias) {
    return Lever.FUSED_BIAS.on() && StridedGemm.available() && out.dataType() == DataType.FLOAT
        && bias.dataType() == DataType.FLOAT && DenseCopy.isDense(out);
  }

  /** Every row of {@code out (rows, cols)} becomes {@code bias (cols)}. */
  static void fill(INDArray out, INDArray bias) {
    int cols = (int) bias.length();
    int rows = (int) (out.length() / cols);
    float[] row = bias.toFloatVector();
    int perBlock = Math.max(1, BLOCK / cols);
    float[] block = new float[perBlock * cols];                   // perBlock copies of the bias
    for (int r = 0; r < perBlock; r++) {
      System.arraycopy(row, 0, block, r * cols, cols);
    }
    RowParallel.run(rows, cols, (part, from, to) -> {
      FloatPointer p = new FloatPointer(out.data().addressPointer());
      for (int r = from; r < to; r += perBlock) {
        int n = Math.min(perBlock, to - r);
        p.position((long) r * cols).put(block, 0, n * cols);
      }
    });
  }
}
