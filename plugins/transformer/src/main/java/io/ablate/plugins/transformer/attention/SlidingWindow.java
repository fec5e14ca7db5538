package io.ablate.plugins.transformer.attention;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The band of keys a query sees in sliding-window attention: key j is visible to query i when
 * |j − p(i)| &lt; window, where p(i) = i + (Tk − Tq) aligns the last query with the last key, as the
 * causal mask does (so in self-attention p(i) = i). Combined with a causal mask the band becomes the
 * {@code window} keys p(i) − window + 1 … p(i).
 */
final class SlidingWindow {
  private SlidingWindow() {}

  /** @return (1, 1, Tq, Tk), 1 inside the band, 0 outside */
  static INDArray keep(int tq, int tk, int window, DataType type) {
    int offset = tk - tq;
    INDArray upTo = Nd4j.tri(tq, tk, offset + window - 1);      // j ≤ p(i) + window − 1
    INDArray below = Nd4j.tri(tq, tk, offset - window);         // j ≤ p(i) − window
    return upTo.subi(below).castTo(type).reshape(1, 1, tq, tk);
  }
}
