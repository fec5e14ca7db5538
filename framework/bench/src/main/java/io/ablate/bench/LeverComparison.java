package io.ablate.bench;

import io.ablate.tensor.Lever;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A lever judged in one process: rounds of two blocks of training steps, the lever off and on in
 * alternating order, each block a fresh model after its own warm-up. On a machine whose speed
 * drifts by tens of percent between processes (measured here: ±30 % minutes apart) only such
 * paired blocks resolve a lever worth 5–10 %; the report says in how many rounds the lever won,
 * not only the means.
 */
public final class LeverComparison {
  private LeverComparison() {}

  /** One round: ms per step with the lever off and on. */
  public record Round(double offMs, double onMs) {}

  /** Every round, and the summary over them. */
  public record Result(Lever lever, List<Round> rounds) {
    public double meanOffMs() {
      return rounds.stream().mapToDouble(Round::offMs).average().orElse(Double.NaN);
    }

    public double meanOnMs() {
      return rounds.stream().mapToDouble(Round::onMs).average().orElse(Double.NaN);
    }

    /** Rounds in which the lever on was faster. */
    public long wins() {
      return rounds.stream().filter(r -> r.onMs() < r.offMs()).count();
    }

    /** Relative change of the mean step time, on against off (negative: faster). */
    public double change() {
      return meanOnMs() / meanOffMs() - 1;
    }
  }

  /**
   * Runs {@code rounds} rounds and leaves the lever as it found it; {@code progress} hears each
   * finished block (1-based, two per round). One untimed block each way comes first (the JIT
   * compiles both paths there: a process's first block ran 10-15 % slower than its later ones,
   * which favoured whichever setting came second), and the order alternates: off then on in odd
   * rounds, on then off in even ones.
   */
  public static Result run(EngineBenchmark engine, Lever lever, int rounds, int warmup, int steps,
      IntConsumer progress) {
    return run(engine, lever, rounds, warmup, steps, false, progress);
  }

  /** As {@link #run(EngineBenchmark, Lever, int, int, int, IntConsumer)}, of evaluation steps when {@code evaluation}. */
  public static Result run(EngineBenchmark engine, Lever lever, int rounds, int warmup, int steps, boolean evaluation,
      IntConsumer progress) {
    boolean before = lever.on();
    List<Round> done = new ArrayList<>();
    try {
      block(engine, lever, false, warmup, steps, evaluation);
      block(engine, lever, true, warmup, steps, evaluation);
      for (int r = 0; r < rounds; r++) {
        boolean offFirst = r % 2 == 0;
        double first = block(engine, lever, !offFirst, warmup, steps, evaluation);
        progress.accept(2 * r + 1);
        double second = block(engine, lever, offFirst, warmup, steps, evaluation);
        progress.accept(2 * r + 2);
        done.add(offFirst ? new Round(first, second) : new Round(second, first));
      }
    } finally {
      lever.set(before);
    }
    return new Result(lever, List.copyOf(done));
  }

  private static double block(EngineBenchmark engine, Lever lever, boolean on, int warmup, int steps,
      boolean evaluation) {
    lever.set(on);
    return engine.run(warmup, steps, Double.NaN, step -> {}, evaluation).msPerStep();
  }
}
