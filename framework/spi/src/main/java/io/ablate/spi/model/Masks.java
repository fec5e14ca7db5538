package io.ablate.spi.model;

import io.ablate.tensor.ops.Softmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Additive forms of an {@link AttentionMask}: 0 where attending is allowed, {@link Softmax#MASKED} elsewhere. */
public final class Masks {
  private Masks() {}

  /**
   * @return broadcastable to (B, H, Tq, Tk): (B or 1, 1, Tq, Tk), or null when nothing is masked
   */
  public static INDArray additive(AttentionMask mask, int tq, int tk, DataType type) {
    INDArray keep = keep(mask, tq, tk, type);
    return keep == null ? null : keep.rsubi(1).muli(Softmax.MASKED);
  }

  /**
   * 1 where query i may attend to key j, else 0; causal masks align the last query with the last key.
   *
   * @return (B or 1, 1, Tq, Tk), or null when nothing is masked
   */
  public static INDArray keep(AttentionMask mask, int tq, int tk, DataType type) {
    INDArray keep = null;
    if (mask.causal()) {
      keep = causal(tq, tk, type);                                        // (1, 1, Tq, Tk)
    }
    if (mask.keyValid() != null) {
      long b = mask.keyValid().size(0);
      INDArray keys = mask.keyValid().castTo(type).reshape(b, 1, 1, tk);  // (B, 1, 1, Tk)
      INDArray full = Nd4j.ones(type, b, 1, tq, tk).muli(keys);           // (B, 1, Tq, Tk)
      keep = keep == null ? full : full.muli(keep);
    }
    return keep;
  }

  /** (1, 1, Tq, Tk) lower triangle: key j visible to query i when j ≤ i + (Tk − Tq). */
  public static INDArray causal(int tq, int tk, DataType type) {
    // not Nd4j.tri: in ND4J 1.0.0-M2.1 it is wrong when there is a single row or column
    float[] keep = new float[tq * tk];
    int offset = tk - tq;
    for (int i = 0; i < tq; i++) {
      for (int j = 0; j <= Math.min(tk - 1, i + offset); j++) {
        keep[i * tk + j] = 1f;
      }
    }
    return Nd4j.create(keep, new long[] {1, 1, tq, tk}, DataType.FLOAT).castTo(type);
  }
}
