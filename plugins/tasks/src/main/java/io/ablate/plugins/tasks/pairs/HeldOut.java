package io.ablate.plugins.tasks.pairs;

/**
 * A fixed train / held-out split of an enumerated universe (numbers, days) by a hash of the index:
 * the same items are held out in every run, so the tokenizer, trained before the run's seed is
 * known, never sees them, and runs with different seeds are scored on the same population.
 */
public final class HeldOut {
  private static final long SALT = 0x9E3779B97F4A7C15L;

  private HeldOut() {}

  /** Whether item {@code index} is held out, for a held-out share of {@code fraction}. */
  public static boolean contains(long index, double fraction) {
    return unit(index) < fraction;
  }

  /** A uniform value in [0, 1) fixed for the index (SplitMix64 finaliser). */
  static double unit(long index) {
    long z = index * SALT + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }
}
