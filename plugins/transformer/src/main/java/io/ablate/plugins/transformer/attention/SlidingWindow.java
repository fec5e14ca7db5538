package io.ablate.plugins.transformer.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The band of keys a sliding-window query may see: |p(i) − j| &lt; window, where p(i) = i + Tk − Tq
 * aligns the last query with the last key. Combined with a causal mask it leaves the window most
 * recent keys.
 */
final class SlidingWindow {
  private SlidingWindow() {}

  /** @return (1, 1, Tq, Tk), 1 inside the band, 0 outside */
  static INDArray keep(int tq, int tk, int window, DataType type) {
    // built directly: Nd4j.tri is wrong for a single row or column in ND4J 1.0.0-M2.1
    float[] keep = new float[tq * tk];
    for (int i = 0; i < tq; i++) {
      int p = i + tk - tq;
      for (int j = Math.max(0, p - window + 1); j <= Math.min(tk - 1, p + window - 1); j++) {
        keep[i * tk + j] = 1f;
      }
    }
    return Nd4j.create(keep, new long[] {1, 1, tq, tk}, DataType.FLOAT).castTo(type);
  }
}
