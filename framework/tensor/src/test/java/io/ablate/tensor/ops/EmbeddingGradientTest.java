package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float32 row gather's table gradient, summed row by row on the heap, against the one-hot
 * product it replaces: (B, T) ids with many repeats, rows never picked staying zero, and the
 * gradient added into one the table already has.
 */
class EmbeddingGradientTest {

  @Test
  void equalsTheOneHotProductWithRepeatedIds() {
    int rows = 37;
    int dim = 70;
    INDArray ids = Nd4j.createFromArray(new long[6 * 53]).reshape(6, 53);
    for (int i = 0; i < ids.length(); i++) {
      ids.putScalar(i, (i * 7L) % 30);                                           // rows 30..36 never picked
    }
    INDArray upstream = Nd4j.randn(DataType.FLOAT, 6, 53, dim);
    Tensor table = Tensor.variable(Nd4j.randn(DataType.FLOAT, rows, dim));
    assertTrue(EmbeddingGradient.supports(upstream, rows, dim));
    Shapes.gather(table, ids).mul(Tensor.constant(upstream)).sum().backward();
    INDArray onehot = Nd4j.zeros(DataType.FLOAT, ids.length(), rows);
    for (int i = 0; i < ids.length(); i++) {
      onehot.putScalar(i, ids.getLong(i), 1f);
    }
    INDArray expected = onehot.transpose().mmul(upstream.reshape(ids.length(), dim));
    assertEquals(0, expected.sub(table.grad()).amaxNumber().doubleValue(), 1e-4);
    assertEquals(0, table.grad().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(30, 37)).amaxNumber().doubleValue(), 0);
    Shapes.gather(table, ids).mul(Tensor.constant(upstream)).sum().backward();   // accumulates
    assertEquals(0, expected.mul(2).sub(table.grad()).amaxNumber().doubleValue(), 1e-4);
  }
}
