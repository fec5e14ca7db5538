package io.ablate.tensor.ops;

import io.ablate.tensor.Lever;
import java.util.function.Supplier;

/** Runs test code with a lever set or the kernels split over a given number of threads, then restores them. */
final class KernelSettings {
  private KernelSettings() {}

  static <T> T withLever(Lever lever, boolean on, Supplier<T> body) {
    boolean before = lever.on();
    lever.set(on);
    try {
      return body.get();
    } finally {
      lever.set(before);
    }
  }

  /** Runs {@code body} with the kernels split over {@code threads} threads, whatever the cores. */
  static <T> T onThreads(int threads, Supplier<T> body) {
    RowParallel.threadsOverride = threads;
    try {
      return body.get();
    } finally {
      RowParallel.threadsOverride = 0;
    }
  }
}
