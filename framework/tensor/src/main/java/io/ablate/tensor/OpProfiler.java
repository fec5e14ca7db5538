package io.ablate.tensor;

import java.util.Map;
import java.util.TreeMap;

/**
 * Optional per-op timing, off by default ({@code -Dablate.profile=true} or {@link #enable()}).
 * Forward time of an op is the time since the previous op finished on this thread (so it includes
 * the model code between ops); backward time is measured around each backward function.
 */
public final class OpProfiler {
  private static volatile boolean enabled = Boolean.getBoolean("ablate.profile");
  private static final ThreadLocal<long[]> LAST = ThreadLocal.withInitial(() -> new long[] {System.nanoTime()});
  private static final Map<String, long[]> TOTALS = new TreeMap<>();

  private OpProfiler() {}

  public static void enable() {
    enabled = true;
    reset();
  }

  /** Stops timing (what was recorded stays in the report until {@link #reset}). */
  public static void disable() {
    enabled = false;
  }

  static boolean enabled() {
    return enabled;
  }

  public static synchronized void reset() {
    TOTALS.clear();
    LAST.get()[0] = System.nanoTime();
  }

  /**
   * Marks the start of a step: a step's first op is then timed from here, not from the last op of
   * the step before (which put the optimizer's update into the embedding's {@code gather}).
   */
  public static void stepStarts() {
    if (enabled) {
      LAST.get()[0] = System.nanoTime();
    }
  }

  static void forwardDone(String op) {
    long now = System.nanoTime();
    long[] last = LAST.get();
    record(op, 0, now - last[0]);
    last[0] = now;
  }

  static void backwardDone(String op, long nanos) {
    record(op, 1, nanos);
    LAST.get()[0] = System.nanoTime();
  }

  private static synchronized void record(String op, int phase, long nanos) {
    long[] t = TOTALS.computeIfAbsent(op, k -> new long[4]);
    t[phase] += nanos;
    t[phase + 2]++;
  }

  /** A table of total milliseconds and call counts per op, forward and backward. */
  public static synchronized String report() {
    StringBuilder sb = new StringBuilder(String.format("%-16s %10s %8s %10s %8s%n", "op", "fwd ms", "calls", "bwd ms", "calls"));
    TOTALS.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
        .forEach(e -> sb.append(String.format("%-16s %10.1f %8d %10.1f %8d%n", e.getKey(),
            e.getValue()[0] / 1e6, e.getValue()[2], e.getValue()[1] / 1e6, e.getValue()[3])));
    return sb.toString();
  }
}
