package io.ablate.tensor.ops;

import io.ablate.tensor.Lever;
import io.ablate.tensor.Threads;

/**
 * Splits the rows of a heap kernel (GELU, the attention softmax, the fused norms) into contiguous
 * ranges, one per thread the run may use ({@link Threads#current}, set per run), and runs them at
 * once: the calling thread takes the first range.
 *
 * <p>Without it these Java loops used one core of two while libnd4j's and BLAS's kernels around them
 * used both; on the small benchmark model they were a fifth of the step. A range must touch only its
 * own rows of the output and its own scratch (thread-local arrays, its own pointers); a kernel that
 * sums over rows gives each range its own partial sums and adds them after {@link #run}.
 */
final class RowParallel {
  /** Below this many elements in all a kernel stays on the calling thread: a hand-off costs tens of µs. */
  static final long MIN_ELEMENTS = 64 * 1024;
  /** Threads to split over instead of the run's count; 0 follows the run. For tests. */
  static volatile int threadsOverride;

  private RowParallel() {}

  /** The work of one range of rows, {@code [from, to)}; {@code part} numbers the range from 0. */
  interface Range {
    void run(int part, int from, int to);
  }

  /** How many ranges {@link #run} will split {@code rows} rows of {@code cols} elements into. */
  static int parts(int rows, int cols) {
    if (!Lever.PARALLEL_KERNELS.on() || (long) rows * cols < MIN_ELEMENTS) {
      return 1;
    }
    return Math.max(1, Math.min(rows, threads()));
  }

  /** The run's threads ({@link Threads#current}), or the tests' override. */
  static int threads() {
    return threadsOverride > 0 ? threadsOverride : Threads.current();
  }

  /** Runs {@code range} over {@code parts(rows, cols)} contiguous ranges covering {@code [0, rows)}. */
  static void run(int rows, int cols, Range range) {
    split(rows, parts(rows, cols), range);
  }

  /** Runs {@code range} over {@code parts} contiguous ranges covering {@code [0, rows)}, one per thread. */
  static void split(int rows, int parts, Range range) {
    if (parts <= 1) {
      range.run(0, 0, rows);
      return;
    }
    KernelThreads.run(parts, part -> range.run(part, start(part, parts, rows), start(part + 1, parts, rows)));
  }

  private static int start(int part, int parts, int rows) {
    return (int) ((long) rows * part / parts);
  }
}
