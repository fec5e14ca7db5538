package io.ablate.bench.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.bench.BenchConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SameDiffBaselineTest {

  /** Small enough that a SameDiff training step takes tens of milliseconds. */
  private static final BenchConfig MICRO = new BenchConfig("micro", 8, 8, 1, 2, 16, 4, 2);

  @Test
  void runReportsFiniteThroughputAndLosses() {
    SameDiffBaseline.Result result = SameDiffBaseline.run(MICRO, 2, 1);

    assertTrue(result.tokensPerSecond() > 0 && Double.isFinite(result.tokensPerSecond()), result::toString);
    assertTrue(result.msPerStep() > 0 && Double.isFinite(result.msPerStep()), result::toString);
    assertTrue(Double.isFinite(result.firstLoss()), result::toString);
    assertTrue(Double.isFinite(result.lastLoss()), result::toString);
    // Near-uniform predictions at init (weights N(0, 0.02)): loss ≈ ln V.
    assertEquals(Math.log(MICRO.vocab()), result.firstLoss(), 0.2, result::toString);
  }

  @Test
  void trainingOnOneBatchLowersTheLoss() {
    // Adam at lr 1e-3 moves every weight by ~1e-3 a step; 20 steps take the loss down by ~0.2.
    SameDiffBaseline.Result result = SameDiffBaseline.run(MICRO, 20, 7);

    assertTrue(result.lastLoss() < result.firstLoss() - 0.05, result::toString);
  }

  /**
   * SameDiff's gradients of the whole model, in float64, against central differences of its own
   * loss. Guards the workarounds for ND4J ops whose gradients are wrong (gather, see
   * SameDiffDecoder).
   */
  @Test
  void gradientsMatchFiniteDifferences() {
    SameDiffDecoder model = new SameDiffDecoder(MICRO, 3, DataType.DOUBLE);
    INDArray tokens = SameDiffBaseline.randomTokens(MICRO, 5); // (B, T + 1)
    INDArray inputs = tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(0, MICRO.seqLen())).dup();
    INDArray targets =
        tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(1, MICRO.seqLen() + 1)).dup();
    inputs.putScalar(0, 0, inputs.getInt(1, 1)); // a repeated token id, at least once

    Map<String, INDArray> gradients = model.gradients(inputs, targets);
    double eps = 1e-5;
    for (String name : model.parameterNames()) {
      INDArray param = model.parameter(name);
      INDArray gradient = gradients.get(name);
      for (long i = 0; i < param.length(); i += 1 + param.length() / 4) {
        double original = param.getDouble(i);
        param.putScalar(i, original + eps);
        double plus = model.loss(inputs, targets);
        param.putScalar(i, original - eps);
        double minus = model.loss(inputs, targets);
        param.putScalar(i, original);

        double numeric = (plus - minus) / (2 * eps);
        double analytic = gradient.getDouble(i);
        assertEquals(numeric, analytic, 1e-6 + 1e-4 * Math.abs(numeric), name + "[" + i + "]");
      }
    }
  }
}
