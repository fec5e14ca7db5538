package io.ablate.tensor.ops;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An additive attention bias (a mask of 0 and {@link Softmax#MASKED}) read once into the heap, with
 * the length of each row's prefix that holds every unmasked column: past it every score is masked
 * and its weight exactly 0, so the softmax need not compute it (the upper half of a causal mask).
 * The last one built is kept per thread: masks are built once and reused by every layer and step.
 */
final class HeapBias {
  /**
   * Larger biases are not copied (64 MB at B = 16, T = 1024 with padding); the kernels then read them
   * in place. Not final: tests lower it to take that path.
   */
  static volatile long maxElements = 1L << 22;
  private static final ThreadLocal<HeapBias> LAST = new ThreadLocal<>();

  private final INDArray source;
  /** The bias, row after row of {@code cols}. */
  final float[] values;
  /** Per bias row: every column from here on is masked; the whole row where all of it is masked. */
  final int[] prefix;

  private HeapBias(INDArray source, float[] values, int[] prefix) {
    this.source = source;
    this.values = values;
    this.prefix = prefix;
  }

  /**
   * The heap form of a float32 bias with rows of {@code cols}, read from {@code dense} (the bias or its
   * c-ordered copy), or null when it is too large.
   */
  static HeapBias of(INDArray bias, INDArray dense, int cols) {
    if (dense.length() > maxElements) {
      return null;
    }
    HeapBias last = LAST.get();
    if (last != null && last.source == bias && !bias.wasClosed()) {
      return last;
    }
    float[] values = new float[(int) dense.length()];
    new FloatPointer(dense.data().addressPointer()).get(values, 0, values.length);
    int rows = values.length / cols;
    int[] prefix = new int[rows];
    float masked = (float) Softmax.MASKED / 2;
    for (int r = 0; r < rows; r++) {
      int end = cols;
      while (end > 0 && values[r * cols + end - 1] <= masked) {
        end--;
      }
      prefix[r] = end == 0 ? cols : end;      // a fully masked row keeps its uniform softmax over all columns
    }
    HeapBias built = new HeapBias(bias, values, prefix);
    LAST.set(built);
    return built;
  }
}
