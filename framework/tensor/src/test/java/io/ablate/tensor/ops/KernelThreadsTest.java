package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Lever;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel threads' hand-off, spinning and through the executor: every part runs once and has
 * finished when {@code run} returns, many callers at once (more parts than cores, more than idle
 * workers) each get all their parts, and a failing part reaches its caller and leaves the threads
 * usable.
 */
class KernelThreadsTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everyPartRunsOnceAndHasFinishedOnReturn(boolean spin) throws Exception {
    withHandoff(spin, () -> {
      for (int call = 0; call < 2000; call++) {
        AtomicIntegerArray ran = new AtomicIntegerArray(5);
        KernelThreads.run(5, part -> {
          busyWork(part);
          ran.incrementAndGet(part);
        });
        for (int p = 0; p < 5; p++) {
          assertEquals(1, ran.get(p), "call " + call + ", part " + p);
        }
      }
    });
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void concurrentCallersEachGetAllTheirParts(boolean spin) throws Exception {
    withHandoff(spin, () -> {
      ExecutorService callers = Executors.newFixedThreadPool(6);
      try {
        List<Future<Integer>> sums = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
          sums.add(callers.submit(() -> {
            int total = 0;
            for (int call = 0; call < 300; call++) {
              AtomicIntegerArray ran = new AtomicIntegerArray(4);
              KernelThreads.run(4, part -> ran.incrementAndGet(part));
              for (int p = 0; p < 4; p++) {
                total += ran.get(p);
              }
            }
            return total;
          }));
        }
        for (Future<Integer> s : sums) {
          assertEquals(300 * 4, s.get());
        }
      } finally {
        callers.shutdownNow();
      }
    });
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aFailingPartReachesTheCallerAndTheThreadsStayUsable(boolean spin) throws Exception {
    withHandoff(spin, () -> {
      for (int failing = 0; failing < 3; failing++) {
        int bad = failing;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelThreads.run(3, part -> {
          if (part == bad) {
            throw new IllegalStateException("part " + part);
          }
        }));
        assertEquals("part " + bad, e.getMessage());
      }
      AtomicIntegerArray ran = new AtomicIntegerArray(3);
      KernelThreads.run(3, part -> ran.incrementAndGet(part));
      assertTrue(ran.get(0) == 1 && ran.get(1) == 1 && ran.get(2) == 1);
    });
  }

  private static void busyWork(int part) {
    double x = part;
    for (int i = 0; i < 200 * (part + 1); i++) {
      x = Math.sin(x) + 1;
    }
    if (x == 42) {
      throw new AssertionError();
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void withHandoff(boolean spin, Body body) throws Exception {
    boolean before = Lever.SPIN_HANDOFF.on();
    Lever.SPIN_HANDOFF.set(spin);
    try {
      body.run();
    } finally {
      Lever.SPIN_HANDOFF.set(before);
    }
  }
}
