package io.ablate.plugins.transformer.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ablate.spi.model.AttentionMask;
import io.ablate.tensor.ops.Softmax;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The additive mask is built once per batch (once per run for causal masks) and is the right one. */
class MaskBiasTest {
  @AfterEach
  void clear() {
    MaskBias.clear();
  }

  @Test
  void causalMaskIsBuiltOnceAndIsZeroOnAndBelowTheDiagonal() {
    INDArray first = MaskBias.of(AttentionMask.CAUSAL, null, 3, 3, DataType.FLOAT);
    assertSame(first, MaskBias.of(new AttentionMask(true, null), null, 3, 3, DataType.FLOAT));
    float m = (float) Softmax.MASKED;
    assertArrayEquals(new float[] {0, m, m, 0, 0, m, 0, 0, 0}, first.data().asFloat(), 0f);
    assertNotSame(first, MaskBias.of(AttentionMask.CAUSAL, null, 4, 4, DataType.FLOAT), "another length");
    assertNull(MaskBias.of(AttentionMask.NONE, null, 3, 3, DataType.FLOAT));
  }

  @Test
  void paddedMaskIsReusedForTheSameBatchOnlyAndMasksPaddedKeys() {
    INDArray valid = Nd4j.createFromArray(new float[][] {{1, 1, 0}});                // (B=1, T=3)
    AttentionMask mask = new AttentionMask(false, valid);
    INDArray bias = MaskBias.of(mask, null, 3, 3, DataType.FLOAT);                  // (1, 1, 3, 3)
    assertSame(bias, MaskBias.of(mask, null, 3, 3, DataType.FLOAT), "every layer of one batch");
    assertEquals(Softmax.MASKED, bias.getDouble(0, 0, 1, 2), 0);
    assertEquals(0, bias.getDouble(0, 0, 1, 1), 0);
    INDArray next = MaskBias.of(new AttentionMask(false, valid.dup()), null, 3, 3, DataType.FLOAT);
    assertNotSame(bias, next, "a new batch gets its own mask");
    bias.close();
    next.close();
    assertNotSame(next, MaskBias.of(new AttentionMask(false, valid), null, 3, 3, DataType.FLOAT),
        "a released mask is rebuilt");
  }
}
