package io.ablate.tensor;

import static io.ablate.tensor.check.GradCheck.randn;
import static io.ablate.tensor.check.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.check.GradCheck;
import io.ablate.tensor.ops.Dropout;
import io.ablate.tensor.ops.Losses;
import io.ablate.tensor.ops.MatMul;
import io.ablate.tensor.ops.Norms;
import io.ablate.tensor.ops.Shapes;
import io.ablate.tensor.ops.Softmax;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Finite-difference gradient check (double precision) of every differentiable op. */
class OpGradientTest {

  private static void assertGradients(Function<Tensor[], Tensor> f, INDArray... inputs) {
    List<GradCheck.Mismatch> mismatches = GradCheck.standard().check(f, inputs);
    assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " mismatches, first: " + mismatches.get(0));
  }

  // ---- arithmetic ---------------------------------------------------------------------------

  @Test void addWithBroadcasting() {
    assertGradients(t -> t[0].add(t[1]), randn(1, 2, 3, 4), randn(2, 4));
    assertGradients(t -> t[0].add(t[1]), randn(1, 2, 1, 4), randn(2, 3, 1));
  }

  @Test void subWithBroadcasting() {
    assertGradients(t -> t[0].sub(t[1]), randn(1, 2, 3), randn(2, 1, 3));
  }

  @Test void mulWithBroadcasting() {
    assertGradients(t -> t[0].mul(t[1]), randn(1, 2, 3, 4), randn(2, 3, 1));
  }

  @Test void divWithBroadcasting() {
    assertGradients(t -> t[0].div(t[1]), randn(1, 2, 3), uniform(2, 0.5, 2, 3));
  }

  @Test void sameTensorOnBothSides() {
    assertGradients(t -> t[0].mul(t[0]).add(t[0]), randn(1, 3, 2));
  }

  @Test void scalarOps() {
    assertGradients(t -> t[0].add(3.0).mul(-2.5), randn(1, 2, 3));
    assertGradients(t -> t[0].pow(3), randn(1, 2, 3));
  }

  // ---- matrix products ----------------------------------------------------------------------

  @Test void matmul2d() {
    assertGradients(t -> t[0].matmul(t[1]), randn(1, 3, 4), randn(2, 4, 5));
  }

  @Test void matmulNdBy2d() {
    assertGradients(t -> t[0].matmul(t[1]), randn(1, 2, 3, 4), randn(2, 4, 5));
  }

  @Test void batchedMatmul() {
    assertGradients(t -> t[0].matmul(t[1]), randn(1, 2, 2, 3, 4), randn(2, 2, 2, 4, 3));
  }

  @Test void batchedMatmulOfPermutedViews() {
    assertGradients(t -> t[0].permute(0, 2, 1, 3).matmul(t[1].permute(0, 2, 3, 1)),
        randn(1, 2, 3, 2, 4), randn(2, 2, 3, 2, 4));
  }

  @Test void linearWithBias() {
    assertGradients(t -> MatMul.linear(t[0], t[1], t[2]), randn(1, 2, 3, 4), randn(2, 4, 5), randn(3, 5));
  }

  @Test void linearOfNonContiguousInput() {
    assertGradients(t -> MatMul.linear(t[0].transpose(0, 1), t[1], null), randn(1, 3, 2, 4), randn(2, 4, 2));
  }

  // ---- element-wise functions ---------------------------------------------------------------

  @Test void exp() { assertGradients(t -> t[0].exp(), randn(1, 2, 3)); }
  @Test void log() { assertGradients(t -> t[0].log(), uniform(1, 0.5, 3, 2, 3)); }
  @Test void sqrt() { assertGradients(t -> t[0].sqrt(), uniform(1, 0.5, 3, 2, 3)); }
  @Test void rsqrt() { assertGradients(t -> t[0].rsqrt(), uniform(1, 0.5, 3, 2, 3)); }
  @Test void tanh() { assertGradients(t -> t[0].tanh(), randn(1, 2, 3)); }
  @Test void sigmoid() { assertGradients(t -> t[0].sigmoid(), randn(1, 2, 3)); }
  @Test void gelu() { assertGradients(t -> t[0].gelu(), randn(1, 3, 4)); }
  @Test void silu() { assertGradients(t -> t[0].silu(), randn(1, 3, 4)); }
  @Test void sin() { assertGradients(t -> t[0].sin(), randn(1, 2, 3)); }
  @Test void cos() { assertGradients(t -> t[0].cos(), randn(1, 2, 3)); }

  @Test void reluAwayFromTheKink() {
    INDArray x = randn(1, 3, 4);
    x.addi(org.nd4j.linalg.ops.transforms.Transforms.sign(x, true).muli(0.1));   // |x| ≥ 0.1
    assertGradients(t -> t[0].relu(), x);
  }

  // ---- reductions ---------------------------------------------------------------------------

  @Test void sumAndMeanOverAxes() {
    assertGradients(t -> t[0].sum(false, 1), randn(1, 2, 3, 4));
    assertGradients(t -> t[0].sum(true, 0, 2), randn(1, 2, 3, 4));
    assertGradients(t -> t[0].mean(false, -1), randn(1, 2, 3, 4));
    assertGradients(t -> t[0].sum(), randn(1, 2, 3));
    assertGradients(t -> t[0].mean(), randn(1, 2, 3));
  }

  @Test void variance() {
    assertGradients(t -> t[0].variance(true, -1), randn(1, 2, 5));
    assertGradients(t -> t[0].variance(false, 0, 1), randn(1, 3, 2, 2));
  }

  // ---- shapes -------------------------------------------------------------------------------

  @Test void reshapePermuteTranspose() {
    assertGradients(t -> t[0].reshape(3, -1).permute(1, 0).mul(t[0].reshape(4, 3)), randn(1, 2, 6));
    assertGradients(t -> t[0].transpose(0, 2).exp(), randn(1, 2, 3, 4));
  }

  @Test void slice() {
    assertGradients(t -> t[0].slice(1, 1, 3).exp(), randn(1, 2, 4, 3));
  }

  @Test void concat() {
    assertGradients(t -> Shapes.concat(-1, t[0], t[1].exp(), t[0]), randn(1, 2, 3), randn(2, 2, 2));
  }

  @Test void gatherWithRepeatedIds() {
    INDArray ids = Nd4j.createFromArray(new long[][] {{0, 2, 2}, {3, 0, 2}});
    assertGradients(t -> Shapes.gather(t[0], ids), randn(1, 4, 3));
  }

  @Test void maskedFill() {
    INDArray mask = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 1, 0}});
    assertGradients(t -> t[0].maskedFill(mask, -7.0), randn(1, 2, 2, 3));
  }

  // ---- softmax and losses -------------------------------------------------------------------

  @Test void softmaxAndLogSoftmax() {
    assertGradients(t -> t[0].softmax(-1), randn(1, 2, 3, 5));
    assertGradients(t -> t[0].softmax(1), randn(1, 2, 3, 5));
    assertGradients(t -> t[0].logSoftmax(-1), randn(1, 2, 5));
  }

  @Test void maskedSoftmax() {
    INDArray keep = Nd4j.createFromArray(new double[][] {{1, 1, 0, 0}, {1, 1, 1, 0}}).reshape(2, 1, 4);
    assertGradients(t -> Softmax.softmax(t[0], -1, keep), randn(1, 2, 3, 4));
    // Masked log-probabilities are ≈ −1e9; read only the kept ones, or the finite difference drowns.
    Tensor kept = Tensor.constant(keep.castTo(DataType.DOUBLE));
    assertGradients(t -> Softmax.logSoftmax(t[0], -1, keep).mul(kept), randn(1, 2, 3, 4));
  }

  @Test void crossEntropyWithIgnoredTargets() {
    INDArray targets = Nd4j.createFromArray(new long[][] {{1, 4, 0}, {2, 0, 3}});
    assertGradients(t -> Losses.crossEntropy(t[0], targets, 0), randn(1, 2, 3, 5));
    assertGradients(t -> Losses.crossEntropy(t[0], targets, Losses.NO_IGNORE), randn(1, 2, 3, 5));
  }

  // ---- normalisation and dropout ------------------------------------------------------------

  @Test void layerNorm() {
    assertGradients(t -> Norms.layerNorm(t[0], t[1], t[2], 1e-5), randn(1, 2, 3, 5), randn(2, 5), randn(3, 5));
  }

  @Test void rmsNorm() {
    assertGradients(t -> Norms.rmsNorm(t[0], t[1], 1e-5), randn(1, 2, 3, 5), randn(2, 5));
  }

  @Test void batchNormTrainingWithPaddingRows() {
    INDArray rows = Nd4j.createFromArray(new double[] {1, 1, 0, 1, 1, 0});
    assertGradients(t -> Norms.batchNorm(t[0], t[1], t[2],
        new Norms.BatchNormState(4, DataType.DOUBLE, 0.1, 1e-5), rows, true),
        randn(1, 2, 3, 4), randn(2, 4), randn(3, 4));
  }

  @Test void batchNormEvaluation() {
    Norms.BatchNormState state = new Norms.BatchNormState(4, DataType.DOUBLE, 0.1, 1e-5);
    state.runningMean().assign(randn(9, 1, 4));
    state.runningVar().assign(uniform(8, 0.5, 2, 1, 4));
    assertGradients(t -> Norms.batchNorm(t[0], t[1], t[2], state, null, false),
        randn(1, 2, 3, 4), randn(2, 4), randn(3, 4));
  }

  @Test void dropoutUsesTheSameMaskForward() {
    // A fresh generator per call makes forward and perturbed forwards draw the same mask.
    assertGradients(t -> {
      try (Rng rng = new Rng(5)) {
        return Dropout.apply(t[0], 0.3, rng, true);
      }
    }, randn(1, 4, 5));
  }

  @Test void checkerCatchesAWrongGradient() {
    // A deliberately wrong backward (factor 2 missing) must be reported.
    Function<Tensor[], Tensor> wrongSquare = t -> Tensor.fromOp("bad_square", t[0].value().mul(t[0].value()),
        (g, grads) -> grads.add(t[0], g.mul(t[0].value())), t[0]);
    List<GradCheck.Mismatch> mismatches = GradCheck.standard().check(wrongSquare, randn(1, 2, 2));
    assertEquals(4, mismatches.size());
  }
}
