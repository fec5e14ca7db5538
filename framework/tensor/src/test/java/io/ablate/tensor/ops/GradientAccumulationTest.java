package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.ParameterSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Linear maps add their gradients into the ones already there (β = 1): an input that feeds three
 * maps (attention's Q, K and V) and weights whose gradients live in a parameter set's flat buffer,
 * at an offset, over two backward passes without zeroing. Compared with the same sums done by hand.
 */
class GradientAccumulationTest {

  @Test
  void sharedInputsAndFlatParameterGradientsAccumulate() {
    INDArray x0 = Nd4j.randn(DataType.FLOAT, 3, 7, 16);
    INDArray[] w0 = {Nd4j.randn(DataType.FLOAT, 16, 8), Nd4j.randn(DataType.FLOAT, 16, 8), Nd4j.randn(DataType.FLOAT, 16, 8)};
    INDArray[] g = {Nd4j.randn(DataType.FLOAT, 3, 7, 8), Nd4j.randn(DataType.FLOAT, 3, 7, 8), Nd4j.randn(DataType.FLOAT, 3, 7, 8)};
    ParameterSet params = new ParameterSet();
    params.add(Tensor.parameter("first", Nd4j.randn(DataType.FLOAT, 5)));     // puts the weights at an offset
    Tensor[] w = new Tensor[3];
    for (int i = 0; i < 3; i++) {
      w[i] = params.add(Tensor.parameter("w" + i, w0[i].dup()));
    }
    params.flatten();
    INDArray dx = null;
    for (int pass = 1; pass <= 2; pass++) {
      Tensor x = Tensor.variable(x0.dup());
      Tensor loss = null;
      for (int i = 0; i < 3; i++) {
        Tensor term = MatMul.linear(x, w[i], null).mul(Tensor.constant(g[i])).sum();
        loss = loss == null ? term : loss.add(term);
      }
      loss.backward();
      dx = x.grad();
      for (int i = 0; i < 3; i++) {
        INDArray expected = x0.reshape(21, 16).transpose().mmul(g[i].reshape(21, 8)).muli(pass);   // Σ over passes
        assertEquals(0, expected.sub(w[i].grad()).amaxNumber().doubleValue(), 1e-3, "weight " + i + ", pass " + pass);
      }
    }
    INDArray expectedDx = Nd4j.zeros(DataType.FLOAT, 21, 16);
    for (int i = 0; i < 3; i++) {
      expectedDx.addi(g[i].reshape(21, 8).mmul(w0[i].transpose()));
    }
    assertEquals(0, expectedDx.sub(dx.reshape(21, 16)).amaxNumber().doubleValue(), 1e-3, "the shared input");
  }
}
