package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.GradMode;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one-pass LayerNorm and RMSNorm kernels against the libnd4j chain they replace: values and
 * the input, gain and bias gradients in float32 and float64, with and without gain and bias, rows
 * that straddle the kernel's chunks, and a non-contiguous input; and the finite-difference check
 * of the float64 kernels without an affine part (OpGradientTest checks them with one).
 */
class FusedNormTest {

  @Test
  void layerNormMatchesTheChain() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (INDArray x : inputs(type)) {
        long d = x.size(-1);
        INDArray gain = Nd4j.randn(type, d);
        INDArray bias = Nd4j.randn(type, d);
        compare(type, "layer_norm", x, gain, bias,
            t -> Norms.layerNorm(t[0], t[1], t[2], 1e-5), t -> Norms.layerNormByOps(t[0], t[1], t[2], 1e-5));
        compare(type, "layer_norm", x, null, null,
            t -> Norms.layerNorm(t[0], null, null, 1e-5), t -> Norms.layerNormByOps(t[0], null, null, 1e-5));
      }
    }
  }

  @Test
  void rmsNormMatchesTheChain() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (INDArray x : inputs(type)) {
        INDArray gain = Nd4j.randn(type, x.size(-1));
        compare(type, "rms_norm", x, gain, null,
            t -> Norms.rmsNorm(t[0], t[1], 1e-5), t -> Norms.rmsNormByOps(t[0], t[1], 1e-5));
      }
    }
  }

  @Test
  void theFloat64KernelsPassTheGradientCheckWithoutGainOrBias() {
    INDArray weights = GradCheck.randn(9, 2, 3, 6);
    for (Function<Tensor[], Tensor> norm : List.<Function<Tensor[], Tensor>>of(
        t -> Norms.layerNorm(t[0], null, null, 1e-5), t -> Norms.rmsNorm(t[0], null, 1e-5))) {
      List<GradCheck.Mismatch> mismatches = GradCheck.standard().check(
          t -> norm.apply(t).mul(Tensor.constant(weights)), GradCheck.randn(1, 2, 3, 6));
      assertTrue(mismatches.isEmpty(), () -> mismatches.toString());
    }
  }

  @Test
  void withoutGradientsTheNormsGiveTheSameValues() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (INDArray x : inputs(type)) {
        INDArray gain = Nd4j.randn(type, x.size(-1));
        INDArray bias = Nd4j.randn(type, x.size(-1));
        Tensor[] t = variables(x, gain, bias);
        INDArray layer = Norms.layerNormByOps(t[0], t[1], t[2], 1e-5).value();
        INDArray rms = Norms.rmsNormByOps(t[0], t[1], 1e-5).value();
        try (var ignored = GradMode.noGrad()) {
          Tensor fusedLayer = Norms.layerNorm(t[0], t[1], t[2], 1e-5);
          Tensor fusedRms = Norms.rmsNorm(t[0], t[1], 1e-5);
          assertFalse(fusedLayer.requiresGrad());
          double tolerance = type == DataType.FLOAT ? 2e-5 : 1e-12;
          assertEquals(0, fusedLayer.value().sub(layer).amaxNumber().doubleValue(), tolerance, "layer_norm " + type);
          assertEquals(0, fusedRms.value().sub(rms).amaxNumber().doubleValue(), tolerance, "rms_norm " + type);
        }
      }
    }
  }

  @Test
  void gradientsNotAskedForAreNotComputed() {
    INDArray x = Nd4j.randn(DataType.FLOAT, 4, 8);
    FusedNorm.Forward f = FusedNorm.forward(x, null, null, 1e-5, true);
    FusedNorm.Grads grads = FusedNorm.backward(Nd4j.ones(DataType.FLOAT, 4, 8), f.saved(), null, true, true, false, false);
    assertNull(grads.dgain());
    assertNull(grads.dbias());
    // the gradient of a LayerNorm output summed over features is 0: Σ_j ∂(Σ_i y_i)/∂x_j vanishes per row
    assertEquals(0, grads.dx().sum(1).amaxNumber().doubleValue(), 1e-5);
  }

  /** (3, 50, 300) rows longer than a chunk's share; (7, 5, 64) many rows per chunk; a permuted view. */
  private static INDArray[] inputs(DataType type) {
    return new INDArray[] {
      Nd4j.randn(type, 3, 50, 300).muli(3).addi(2),
      Nd4j.randn(type, 7, 5, 64),
      Nd4j.randn(type, 5, 7, 64).permute(1, 0, 2),
    };
  }

  private static void compare(DataType type, String op, INDArray x, INDArray gain, INDArray bias,
      Function<Tensor[], Tensor> fusedOp, Function<Tensor[], Tensor> chainOp) {
    Tensor[] a = variables(x, gain, bias);
    Tensor[] b = variables(x, gain, bias);
    Tensor fused = fusedOp.apply(a);
    Tensor chain = chainOp.apply(b);
    assertTrue(FusedNorm.supports(x), "the fused kernel runs on " + type);
    assertEquals(op, fused.op());
    double tolerance = type == DataType.FLOAT ? 2e-5 : 1e-12;
    String what = op + " " + type + " " + java.util.Arrays.toString(x.shape()) + (gain == null ? " without gain" : "");
    assertEquals(0, fused.value().sub(chain.value()).amaxNumber().doubleValue(), tolerance, what + ": value");
    INDArray upstream = Nd4j.randn(type, x.shape());
    fused.backward(upstream);
    chain.backward(upstream);
    for (int i = 0; i < a.length; i++) {
      if (a[i] != null) {
        double scale = Math.max(1, b[i].grad().amaxNumber().doubleValue());
        assertEquals(0, a[i].grad().sub(b[i].grad()).amaxNumber().doubleValue() / scale, tolerance,
            what + ": gradient of input " + i);
      }
    }
  }

  private static Tensor[] variables(INDArray x, INDArray gain, INDArray bias) {
    return new Tensor[] {
      Tensor.variable(x.dup()),
      gain == null ? null : Tensor.variable(gain.dup()),
      bias == null ? null : Tensor.variable(bias.dup()),
    };
  }
}
