package io.ablate.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.model.BuiltModel;
import io.ablate.core.plugin.Registry;
import io.ablate.spi.model.Batch;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import io.ablate.tensor.optim.GradClip;
import io.ablate.tensor.optim.LrSchedule;
import io.ablate.tensor.optim.Optimizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The benchmark model is the study model (built by name through the plugin registry) with the
 * parameter count of the PyTorch mirror; the same seed gives the identical loss curve, bit for bit,
 * on the CPU; training learns.
 */
class TrainingDeterminismTest {
  private static final BenchConfig MICRO = new BenchConfig("micro", 16, 32, 2, 4, 64, 12, 8);
  private static final Registry REGISTRY = Wiring.builtins();

  @Test
  void pluginBuiltModelHasTheParameterCountOfThePyTorchMirror() {
    for (BenchConfig config : new BenchConfig[] {MICRO, BenchConfig.TINY, BenchConfig.SMALL}) {
      try (BuiltModel model = new EngineBenchmark(REGISTRY, BenchModel.of(config), 1).build()) {
        assertEquals(config.parameterCount(), model.parameterCount(), config.name());
      }
    }
  }

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
    EngineBenchmark bench = new EngineBenchmark(REGISTRY, BenchModel.of(MICRO), seed);
    try (BuiltModel model = bench.build()) {
      Optimizer optimizer = Adam.adamW(model.params().parameters(), 0.01);
      LrSchedule schedule = LrSchedule.warmupCosine(3e-3, 5, steps + 1, 1e-4);
      Batch batch = bench.batch();
      double[] losses = new double[steps];
      for (int step = 1; step <= steps; step++) {
        Tensor loss = model.model().loss(batch);
        losses[step - 1] = loss.item();
        loss.backward();
        GradClip.clipGlobalNorm(optimizer.parameters(), 1.0);
        optimizer.step(schedule.at(step));
        optimizer.parameters().zeroGrad();
      }
      return losses;
    }
  }
}
