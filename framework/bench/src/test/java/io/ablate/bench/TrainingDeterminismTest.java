package io.ablate.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.bench.model.Decoder;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import io.ablate.tensor.optim.GradClip;
import io.ablate.tensor.optim.LrSchedule;
import io.ablate.tensor.optim.Optimizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The same seed gives the identical loss curve, bit for bit, on the CPU; training learns. */
class TrainingDeterminismTest {
  private static final BenchConfig MICRO = new BenchConfig("micro", 16, 32, 2, 4, 64, 12, 8);

  @Test
  void sameSeedSameLossCurveBitForBit() {
    double[] first = lossCurve(7, 12);
    double[] second = lossCurve(7, 12);
    assertArrayEquals(first, second, 0.0);
    for (int i = 0; i < first.length; i++) {
      assertTrue(Double.doubleToRawLongBits(first[i]) == Double.doubleToRawLongBits(second[i]), "step " + i);
    }
    assertFalse(Arrays.equals(first, lossCurve(8, 12)), "a different seed must give a different curve");
  }

  @Test
  void lossFallsOnARepeatedBatch() {
    double[] curve = lossCurve(3, 40);
    assertTrue(curve[39] < 0.6 * curve[0], "loss " + curve[0] + " → " + curve[39]);
  }

  /** AdamW with warmup-cosine and clipping on one fixed random batch. */
  private static double[] lossCurve(long seed, int steps) {
    Decoder model = new Decoder(MICRO, seed, DataType.FLOAT);
    Optimizer optimizer = Adam.adamW(model.parameters(), 0.01);
    LrSchedule schedule = LrSchedule.warmupCosine(3e-3, 5, steps + 1, 1e-4);
    INDArray[] batch = new EngineBenchmark(MICRO, seed).batch();
    double[] losses = new double[steps];
    for (int step = 1; step <= steps; step++) {
      Tensor loss = model.loss(batch[0], batch[1]);
      losses[step - 1] = loss.item();
      loss.backward();
      GradClip.clipGlobalNorm(optimizer.parameters(), 1.0);
      optimizer.step(schedule.at(step));
      optimizer.parameters().zeroGrad();
    }
    return losses;
  }
}
