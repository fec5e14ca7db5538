package io.ablate.tensor.ops;

import static io.ablate.tensor.ops.KernelSettings.withLever;
import static io.ablate.tensor.ops.KernelSettings.onThreads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Lever;
import io.ablate.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused-bias lever against the path it replaces and against plain sums: a linear map whose
 * bias is written into the output before the product (values and all three gradients, rows
 * straddling the fill's blocks, split over 3 threads), and the row and column sums as BLAS
 * matrix-vector products in float32 and float64.
 */
class FusedBiasTest {

  @Test
  void aLinearMapWithItsBiasInTheProductEqualsProductThenAdd() {
    INDArray x = Nd4j.randn(DataType.FLOAT, 7, 301, 37);    // 2 107 rows: many blocks of 110 rows of 37
    INDArray w = Nd4j.randn(DataType.FLOAT, 37, 37);
    INDArray b = Nd4j.randn(DataType.FLOAT, 37).muli(5);
    INDArray upstream = Nd4j.randn(DataType.FLOAT, 7, 301, 37);
    Tensor[] off = variables(x, w, b);
    Tensor[] on = variables(x, w, b);
    Tensor plain = withLever(Lever.FUSED_BIAS, false, () -> MatMul.linear(off[0], off[1], off[2]));
    Tensor fused = onThreads(3, () -> withLever(Lever.FUSED_BIAS, true, () -> {
      assertTrue(BiasFill.supports(Nd4j.create(DataType.FLOAT, 2, 37), b));
      return MatMul.linear(on[0], on[1], on[2]);
    }));
    assertClose(plain.value(), fused.value(), "value");
    withLever(Lever.FUSED_BIAS, false, () -> { plain.backward(upstream); return null; });
    withLever(Lever.FUSED_BIAS, true, () -> { fused.backward(upstream); return null; });
    for (int i = 0; i < 3; i++) {
      assertClose(off[i].grad(), on[i].grad(), "gradient of input " + i);
    }
    assertClose(upstream.sum(0, 1), on[2].grad(), "the bias gradient is the sum of the upstream gradient");
  }

  @Test
  void rowAndColumnSumsByMatrixVectorProducts() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray x = Nd4j.randn(type, 6, 50, 33);
      INDArray permuted = Nd4j.randn(type, 50, 6, 33).permute(1, 0, 2);   // read through a dense copy
      for (INDArray a : new INDArray[] {x, permuted}) {
        INDArray columns = withLever(Lever.FUSED_BIAS, true, () -> RowSums.sumLeading(a));
        INDArray rows = withLever(Lever.FUSED_BIAS, true, () -> RowSums.sumLast(a));
        INDArray means = withLever(Lever.FUSED_BIAS, true, () -> RowSums.meanLast(a));
        assertClose(a.sum(0, 1), columns, type + " column sums");
        assertClose(a.sum(true, 2), rows, type + " row sums");
        assertClose(a.mean(true, 2), means, type + " row means");
        assertClose(withLever(Lever.FUSED_BIAS, false, () -> RowSums.sumLeading(a)), columns, type + " column sums, lever off");
      }
    }
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    double tolerance = expected.dataType() == DataType.FLOAT ? 1e-4 : 1e-12;
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    assertEquals(0, expected.reshape(actual.shape()).sub(actual).amaxNumber().doubleValue() / scale, tolerance, what);
  }

  private static Tensor[] variables(INDArray x, INDArray w, INDArray b) {
    return new Tensor[] {Tensor.variable(x.dup()), Tensor.variable(w.dup()), Tensor.variable(b.dup())};
  }
}
