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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The one-pass {@code softmax(scale·x + bias)} against the chain it replaces (scale, add, libnd4j
 * softmax): values and gradients in float32 and float64, with masks broadcast over batch and heads,
 * fully masked rows, rows that straddle the kernel's chunks, and a non-contiguous input; and the
 * finite-difference check of the float64 kernel.
 */
class ScaledSoftmaxTest {

  @Test
  void matchesTheChainInFloat32AndFloat64() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      // (B, H, Tq, Tk) = (3, 4, 50, 100): rows of 100 cross chunk boundaries; logits up to ±40
      INDArray x = Nd4j.randn(type, 3, 4, 50, 100).muli(10);
      INDArray causal = causalBias(type, 50, 100);                                          // (1, 1, Tq, Tk)
      INDArray perBatch = causalBias(type, 50, 100).repeat(0, 3);                           // (3, 1, Tq, Tk)
      perBatch.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(7), NDArrayIndex.all())
          .assign(Softmax.MASKED);                                                          // a fully masked row
      INDArray permuted = Nd4j.randn(type, 3, 50, 4, 100).muli(10).permute(0, 2, 1, 3);      // not contiguous
      for (INDArray[] inputAndBias : new INDArray[][] {{x, null}, {x, causal}, {x, perBatch}, {permuted, causal}}) {
        compare(type, inputAndBias[0], inputAndBias[1], 0.17677669529663687);             // 1/√32
      }
    }
  }

  @Test
  void theFloat64KernelPassesTheGradientCheck() {
    INDArray bias = causalBias(DataType.DOUBLE, 3, 5);
    List<GradCheck.Mismatch> mismatches = GradCheck.standard().check(
        t -> Softmax.scaledSoftmax(t[0], 0.7, bias).mul(Tensor.constant(GradCheck.randn(9, 2, 3, 3, 5))),
        GradCheck.randn(1, 2, 3, 3, 5));
    assertTrue(mismatches.isEmpty(), () -> mismatches.toString());
  }

  private static void compare(DataType type, INDArray input, INDArray bias, double scale) {
    INDArray upstream = Nd4j.randn(type, input.shape());
    Tensor a = Tensor.variable(input.dup());
    Tensor b = Tensor.variable(input.dup());
    Tensor fused = Softmax.scaledSoftmax(a, scale, bias);
    assertEquals("scaled_softmax", fused.op(), "the one-pass kernel ran");
    Tensor scaled = b.mul(scale);
    Tensor chain = Softmax.softmax(bias == null ? scaled : scaled.add(Tensor.constant(bias)), -1);
    // float32: exp within 2.5e-7 relative, and a different order of summation
    double tolerance = type == DataType.FLOAT ? 2e-6 : 1e-12;
    String what = type + (bias == null ? "" : " with a " + java.util.Arrays.toString(bias.shape()) + " bias");
    assertEquals(0, fused.value().sub(chain.value()).amaxNumber().doubleValue(), tolerance, what + ": value");
    fused.backward(upstream);
    chain.backward(upstream);
    double gradScale = Math.max(1, b.grad().amaxNumber().doubleValue());
    assertEquals(0, a.grad().sub(b.grad()).amaxNumber().doubleValue() / gradScale, tolerance, what + ": gradient");
  }

  /** (1, 1, Tq, Tk): query i sees keys ≤ i + (Tk − Tq). */
  private static INDArray causalBias(DataType type, int tq, int tk) {
    INDArray bias = Nd4j.zeros(type, 1, 1, tq, tk);
    for (int i = 0; i < tq; i++) {
      for (int j = i + (tk - tq) + 1; j < tk; j++) {
        bias.putScalar(new long[] {0, 0, i, j}, Softmax.MASKED);
      }
    }
    return bias;
  }
}
