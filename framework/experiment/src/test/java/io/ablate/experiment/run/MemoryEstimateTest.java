package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pre-training memory estimate: the counted terms, and a refusal that carries the figures. */
class MemoryEstimateTest {
  @Test
  void countsBlockParametersWithOptimizerStateAndActivations() {
    MemoryEstimate e = MemoryEstimate.of(Map.of("model", Map.of("d_model", 64, "layers", 2, "heads", 4,
        "ffn", Map.of("hidden", 256)), "train", Map.of("batch", 8)));
    assertEquals(2L * (4 * 64 * 64 + 2 * 64 * 256), e.parameters());        // attention + feed-forward weights
    assertEquals(16 * e.parameters(), e.parameterBytes());                   // value, gradient, two Adam moments
    assertEquals(4L * 2 * 8 * (64 * (10 * 64 + 2 * 256) + 2 * 4 * 64 * 64), e.activationBytes());
    assertTrue(e.refusal(1L << 30).isEmpty(), "a small model fits in 1 GiB");
  }

  @Test
  void anImpossibleModelIsRefusedWithTheFigure() {
    MemoryEstimate e = MemoryEstimate.of(Map.of("model", Map.of("d_model", 65536, "layers", 64)));
    String why = e.refusal(16L << 30).orElseThrow();
    assertTrue(why.contains("48.6 TiB") && why.contains("16.0 GiB of memory"), why);
  }
}
