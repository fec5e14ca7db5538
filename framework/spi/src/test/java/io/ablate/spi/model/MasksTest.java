package io.ablate.spi.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MasksTest {
  @Test
  void causalKeepsKeysUpToTheQueryAlignedAtTheEnd() {
    assertArrayEquals(new double[] {1}, Masks.causal(1, 1, DataType.DOUBLE).data().asDouble());
    assertArrayEquals(new double[] {1, 1, 1}, Masks.causal(1, 3, DataType.DOUBLE).data().asDouble(),
        "one new query sees every cached key");
    assertArrayEquals(new double[] {1, 0, 0, 1, 1, 0, 1, 1, 1}, Masks.causal(3, 3, DataType.DOUBLE).data().asDouble());
    assertArrayEquals(new double[] {1, 1, 0, 1, 1, 1}, Masks.causal(2, 3, DataType.DOUBLE).data().asDouble());
    assertArrayEquals(new double[] {0, 0, 1, 0, 1, 1}, Masks.causal(3, 2, DataType.DOUBLE).data().asDouble());
  }

  @Test
  void paddingAndCausalCombine() {
    INDArray valid = Nd4j.createFromArray(new float[][] {{1, 1, 0}});
    INDArray keep = Masks.keep(new AttentionMask(true, valid), 3, 3, DataType.FLOAT);
    assertArrayEquals(new long[] {1, 1, 3, 3}, keep.shape());
    assertArrayEquals(new float[] {1, 0, 0, 1, 1, 0, 1, 1, 0}, keep.data().asFloat());
    assertEquals(null, Masks.keep(AttentionMask.NONE, 2, 2, DataType.FLOAT));
  }
}
