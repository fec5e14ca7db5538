package io.ablate.plugins.architectures.seq2seq;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies of chosen rows (first-axis entries) of an array: the encoder output each decoding hypothesis reads. */
public final class Rows {
  private Rows() {}

  /** (B, …) → (N, …) with entry i = {@code a[rows[i]]}; rows may repeat (several beams of one source). */
  public static INDArray select(INDArray a, int[] rows) {
    long b = a.size(0);
    long rest = a.length() / b;
    INDArray flat = a.reshape('c', b, rest);                                    // (B, rest)
    INDArray picked = Nd4j.pullRows(flat, 1, rows);                             // (N, rest)
    long[] shape = a.shape().clone();
    shape[0] = rows.length;
    return picked.reshape('c', shape);
  }
}
