package io.ablate.plugins.transformer.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import io.ablate.testkit.ArrayChecks;
import io.ablate.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Running statistics of batchnorm come from the real tokens only: checked against a plain loop. */
class BatchNormPaddingTest {
  private static final int B = 3;
  private static final int T = 4;
  private static final int D = 5;
  private static final double MOMENTUM = 0.25;

  @Test
  void runningStatisticsAreTheMomentumAverageOfRealTokenStatistics() {
    int[] lengths = {4, 1, 2};
    INDArray valid = ArrayChecks.rightPadded(T, lengths);
    INDArray x = GradCheck.randn(1, B, T, D).muli(2).addi(0.7);
    for (int b = 0; b < B; b++) {
      for (int t = lengths[b]; t < T; t++) {
        for (int f = 0; f < D; f++) {
          x.putScalar(new long[] {b, t, f}, 1e3 * (f + 1));   // padding far from the real tokens
        }
      }
    }
    try (Rng rng = new Rng(2)) {
      ModelContext context = TestModels.context(new Dims(D, 1), ModelIO.languageModel(8, T), DataType.DOUBLE, rng)
          .scope("bn");
      new BatchNorm(new BatchNorm.Config(MOMENTUM, 1e-5), context).forward(Tensor.constant(x), valid);
      INDArray runningMean = context.store().buffers().get("bn.running_mean");
      INDArray runningVar = context.store().buffers().get("bn.running_var");
      int n = 4 + 1 + 2;
      for (int f = 0; f < D; f++) {
        double sum = 0;
        for (int b = 0; b < B; b++) {
          for (int t = 0; t < lengths[b]; t++) {
            sum += x.getDouble(b, t, f);
          }
        }
        double mean = sum / n;
        double squares = 0;
        for (int b = 0; b < B; b++) {
          for (int t = 0; t < lengths[b]; t++) {
            double c = x.getDouble(b, t, f) - mean;
            squares += c * c;
          }
        }
        double unbiased = squares / (n - 1);
        assertEquals(MOMENTUM * mean, runningMean.getDouble(f), 1e-12, "running mean of feature " + f);
        assertEquals((1 - MOMENTUM) * 1.0 + MOMENTUM * unbiased, runningVar.getDouble(f), 1e-12,
            "running variance of feature " + f);
      }
    }
  }
}
