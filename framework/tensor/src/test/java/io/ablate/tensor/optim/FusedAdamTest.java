package io.ablate.tensor.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Lever;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.FusedAdam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one-pass float32 Adam/AdamW step against the libnd4j chain it replaces (which
 * OptimizerReferenceTest checks against PyTorch in float64): five steps on a model of 100 835
 * parameters (more than one chunk and enough to split over threads), a decayed matrix and an
 * undecayed bias, with and without decoupled decay.
 */
class FusedAdamTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void followsTheChainStepByStep(boolean decoupled) {
    INDArray w0 = Nd4j.randn(DataType.FLOAT, 300, 335);
    INDArray b0 = Nd4j.randn(DataType.FLOAT, 335);
    Model fused = new Model(w0, b0, decoupled);
    Model chain = new Model(w0, b0, decoupled);
    assertTrue(FusedAdam.supports(fused.params.values()), "the fused kernel runs on the flat float32 buffers");
    for (int step = 1; step <= 5; step++) {
      INDArray gw = Nd4j.randn(DataType.FLOAT, 300, 335);
      INDArray gb = Nd4j.randn(DataType.FLOAT, 335);
      fused.step(gw, gb, 1e-2);
      Lever.FUSED_ADAM.set(false);
      try {
        chain.step(gw, gb, 1e-2);
      } finally {
        Lever.FUSED_ADAM.set(true);
      }
      assertClose(chain.w.value(), fused.w.value(), "w after step " + step);
      assertClose(chain.b.value(), fused.b.value(), "b after step " + step);
    }
    // the comparison is not vacuous: both parameters moved (Adam's first step alone is lr·sign(g))
    assertTrue(fused.w.value().sub(w0).amaxNumber().doubleValue() > 1e-3);
    assertTrue(fused.b.value().sub(b0).amaxNumber().doubleValue() > 1e-3);
  }

  @Test
  void float64StaysOnTheChain() {
    assertTrue(!FusedAdam.supports(Nd4j.zeros(DataType.DOUBLE, 10)));
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    assertEquals(0, expected.sub(actual).amaxNumber().doubleValue() / scale, 1e-6, what);
  }

  /** A matrix (decayed) and a bias (not), flattened, with its own Adam. */
  private static final class Model {
    final ParameterSet params = new ParameterSet();
    final Tensor w;
    final Tensor b;
    final Adam adam;

    Model(INDArray w0, INDArray b0, boolean decoupled) {
      w = params.add(Tensor.parameter("w", w0.dup()));
      b = params.add(Tensor.parameter("b", b0.dup()));
      adam = new Adam(params, 0.9, 0.999, 1e-8, 0.1, decoupled);
    }

    void step(INDArray gw, INDArray gb, double lr) {
      w.grad().assign(gw);
      b.grad().assign(gb);
      adam.step(lr);
    }
  }
}
