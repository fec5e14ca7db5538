package io.ablate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.model.BuiltModel;
import io.ablate.spi.model.Batch;
import io.ablate.tensor.NativeCounters;
import io.ablate.tensor.optim.Adam;
import io.ablate.tensor.optim.Optimizer;
import org.junit.jupiter.api.Test;

/**
 * A training step of the tiny benchmark model does a fixed amount of native work, within the budget
 * measured when the engine last got leaner. Counts, not time, so it does not depend on how busy the
 * machine is. It catches array ops that go back to ND4J's allocating paths (a fresh op context per
 * {@code a.addi(b)}, a result ND4J allocates itself for {@code minNumber()}): those leaked native
 * memory over long runs (docs/benchmarks.md, memory over 5000 steps).
 */
class NativeWorkPerStepTest {
  /** Measured 2026-12-03: 845 objects and 337 calls per step before the in-place ops used the reused context. */
  private static final long MAX_OBJECTS_PER_STEP = 734;
  private static final long MAX_OP_CALLS_PER_STEP = 330;

  @Test
  void everyStepCreatesTheSameFewNativeObjects() {
    EngineBenchmark bench = new EngineBenchmark(Wiring.builtins(), BenchModel.of(BenchConfig.TINY), 1);
    NativeCounters.enable();
    try (BuiltModel model = bench.build()) {
      Optimizer optimizer = Adam.adamW(model.params().parameters(), 0.01);
      Batch batch = bench.batch();
      for (int i = 0; i < 2; i++) {
        EngineBenchmark.trainStep(model, optimizer, batch, null);   // first steps create lazy caches
      }
      long[] objects = new long[3];
      long[] calls = new long[3];
      for (int i = 0; i < objects.length; i++) {
        long objects0 = NativeCounters.nativeObjectsCreated();
        long calls0 = NativeCounters.opCalls();
        EngineBenchmark.trainStep(model, optimizer, batch, null);
        objects[i] = NativeCounters.nativeObjectsCreated() - objects0;
        calls[i] = NativeCounters.opCalls() - calls0;
      }
      for (int i = 1; i < objects.length; i++) {
        assertEquals(objects[0], objects[i], "native objects created per step must not drift");
        assertEquals(calls[0], calls[i], "op calls per step must not drift");
      }
      assertTrue(objects[0] <= MAX_OBJECTS_PER_STEP, objects[0] + " native objects per tiny training step, budget "
          + MAX_OBJECTS_PER_STEP + " (lower the budget when a change saves some; find the new allocation otherwise)");
      assertTrue(calls[0] <= MAX_OP_CALLS_PER_STEP, calls[0] + " libnd4j op calls per tiny training step, budget "
          + MAX_OP_CALLS_PER_STEP);
    } finally {
      NativeCounters.disable();
    }
  }
}
