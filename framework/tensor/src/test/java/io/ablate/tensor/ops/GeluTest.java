package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The vectorisable GELU against the libnd4j chain with libnd4j's own erf: values and gradients in
 * float32 and float64, over the clamp at |x/√2| = 4 and on a non-contiguous input; and the chain's
 * finite-difference check, since other backends still run it.
 */
class GeluTest {

  @Test
  void matchesTheErfChainInFloat32AndFloat64() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray x = Nd4j.linspace(-12, 12, 4001, type).reshape(1, 4001);          // across both clamps
      INDArray wide = Nd4j.randn(type, 300, 70).muli(3).transpose();           // (70, 300): not contiguous, 3 chunks
      for (INDArray input : new INDArray[] {x, wide}) {
        INDArray upstream = Nd4j.randn(type, input.shape());
        Tensor a = Tensor.variable(input.dup());
        Tensor b = Tensor.variable(input.dup());
        Tensor ya = Activations.gelu(a);
        Tensor yb = Activations.geluChain(b);
        // float64: the fit's own error (1.9e-9 on erf; 4.2e-8 on its derivative, times |x|/√8 here)
        double valueTolerance = type == DataType.FLOAT ? 2e-6 : 1e-8;
        double gradTolerance = type == DataType.FLOAT ? 2e-6 : 3e-7;
        assertEquals(0, ya.value().sub(yb.value()).amaxNumber().doubleValue() / scale(yb.value()), valueTolerance,
            type + " value");
        ya.backward(upstream);
        yb.backward(upstream);
        assertEquals(0, a.grad().sub(b.grad()).amaxNumber().doubleValue() / scale(b.grad()), gradTolerance,
            type + " gradient");
      }
    }
  }

  @Test
  void theErfChainPassesTheGradientCheck() {
    List<GradCheck.Mismatch> mismatches = GradCheck.standard().check(t -> Activations.geluChain(t[0]),
        GradCheck.randn(1, 3, 4));
    assertTrue(mismatches.isEmpty(), () -> mismatches.toString());
  }

  private static double scale(INDArray x) {
    return Math.max(1, x.amaxNumber().doubleValue());
  }
}
