package io.ablate.plugins.tasks.synthetic;

import java.nio.charset.StandardCharsets;

/**
 * Which split a generated item belongs to, fixed by a hash of the item itself (its source string):
 * training never draws a validation or test item, validation and test are disjoint, and the
 * split of an item is the same in every run and seed, so different seeds are evaluated on samples
 * of the same held-out population.
 */
public enum ItemSplit {
  TRAIN, VALIDATION, TEST;

  /** Share of all items reserved for validation (selection: learning rate, step). */
  public static final double VALIDATION_SHARE = 0.1;
  /** Share of all items reserved for the test split (what the report shows). */
  public static final double TEST_SHARE = 0.1;

  public static ItemSplit of(String item) {
    double u = unit(item);
    return u < VALIDATION_SHARE ? VALIDATION : u < VALIDATION_SHARE + TEST_SHARE ? TEST : TRAIN;
  }

  /** A uniform value in [0, 1) fixed for the item: FNV-1a over its UTF-8 bytes, then the SplitMix64 finaliser. */
  static double unit(String item) {
    long z = 0xcbf29ce484222325L;
    for (byte b : item.getBytes(StandardCharsets.UTF_8)) {
      z = (z ^ (b & 0xff)) * 0x100000001b3L;
    }
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }
}
