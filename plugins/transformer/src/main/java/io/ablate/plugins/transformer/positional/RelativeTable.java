package io.ablate.plugins.transformer.positional;

import java.util.function.IntToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A (Tq, Tk) table whose entry (i, j) is f(j − i), for query positions 0..Tq−1 and key positions
 * 0..Tk−1: relative-position bucket ids, clipped distances, ALiBi distances. Built once for the
 * longest length seen (an index computation on integers, not tensor arithmetic) and sliced; the
 * last slice is kept because every layer of a model asks for the same one.
 *
 * <p>Plain arrays only, never tensor ops: the table outlives any {@code Arena} open when it is built.
 */
final class RelativeTable {
  private final IntToDoubleFunction ofDistance;
  private final DataType type;
  private INDArray square;   // (N, N)
  private INDArray last;     // (lastTq, lastTk), contiguous
  private int lastTq = -1;
  private int lastTk = -1;

  /** @param ofDistance f(j − i) */
  RelativeTable(IntToDoubleFunction ofDistance, DataType type) {
    this.ofDistance = ofDistance;
    this.type = type;
  }

  /** @return (Tq, Tk), not to be modified */
  synchronized INDArray get(int tq, int tk) {
    if (tq == lastTq && tk == lastTk) {
      return last;
    }
    int n = Math.max(tq, tk);
    if (square == null || square.size(0) < n) {
      square = build(n);
    }
    last = square.get(NDArrayIndex.interval(0, tq), NDArrayIndex.interval(0, tk)).dup('c');
    lastTq = tq;
    lastTk = tk;
    return last;
  }

  private INDArray build(int n) {
    double[] values = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        values[i * n + j] = ofDistance.applyAsDouble(j - i);
      }
    }
    return Nd4j.create(values, new long[] {n, n}, 'c').castTo(type);
  }
}
