package io.ablate.tensor.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ScheduleAndClipTest {

  @Test
  void warmupCosineRisesLinearlyThenDecaysToTheFloor() {
    LrSchedule s = LrSchedule.warmupCosine(1e-3, 100, 1100, 1e-5);
    assertEquals(1e-5, s.at(1), 1e-12);
    assertEquals(5e-4, s.at(50), 1e-12);
    assertEquals(1e-3, s.at(100), 1e-12);
    assertEquals((1e-3 + 1e-5) / 2, s.at(600), 1e-12);   // half-way through the cosine
    assertEquals(1e-5, s.at(1100), 1e-12);
    assertEquals(1e-5, s.at(5000), 1e-12);
    assertTrue(s.at(300) > s.at(301));
  }

  @Test
  void noamMatchesTheTransformerPaperFormula() {
    LrSchedule s = LrSchedule.noam(512, 4000, 1.0);
    for (long step : new long[] {1, 100, 3999, 4000, 4001, 20000}) {
      double paper = Math.pow(512, -0.5) * Math.min(Math.pow(step, -0.5), step * Math.pow(4000, -1.5));
      assertEquals(paper, s.at(step), 1e-15, "step " + step);
    }
  }

  @Test
  void constant() {
    assertEquals(0.3, LrSchedule.constant(0.3).at(12345));
  }

  @Test
  void clippingScalesTheJointNormAndReportsTheOriginal() {
    ParameterSet params = new ParameterSet();
    Tensor a = params.add(Tensor.parameter("a", Nd4j.zeros(2)));
    Tensor b = params.add(Tensor.parameter("b", Nd4j.zeros(1)));
    params.flatten();
    a.grad().assign(Nd4j.createFromArray(3.0f, 0f));
    b.grad().assign(Nd4j.createFromArray(4.0f));
    assertEquals(5.0, GradClip.clipGlobalNorm(params, 1.0), 1e-6);
    assertEquals(1.0, params.gradNorm(), 1e-5);
    assertEquals(0.6, a.grad().getDouble(0), 1e-5);
    assertEquals(0.8, b.grad().getDouble(0), 1e-5);
    assertEquals(1.0, GradClip.clipGlobalNorm(params, 2.0), 1e-5);   // under the limit: untouched
    assertEquals(0.8, b.grad().getDouble(0), 1e-5);
  }

  @Test
  void weightDecayMaskSkipsBiasesAndGains() {
    ParameterSet params = new ParameterSet();
    params.add(Tensor.parameter("w", Nd4j.ones(2, 2)));
    params.add(Tensor.parameter("gain", Nd4j.ones(3)));
    params.flatten();
    assertEquals(4.0, params.decayMask().sumNumber().doubleValue());
    assertEquals(7, params.values().length());
  }
}
