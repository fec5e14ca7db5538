package io.ablate.testkit;

import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Declared capabilities: a contract test that needs one the plugin does not claim is skipped
 * explicitly, with the reason in the report, never passed silently.
 */
public final class Capabilities {
  private Capabilities() {}

  /** Skips the calling test unless {@code needed} is among {@code claimed}. */
  public static <E extends Enum<E>> void require(Set<E> claimed, E needed, String component) {
    Assumptions.assumeTrue(claimed.contains(needed),
        () -> "skipped: " + component + " does not claim capability " + needed);
  }
}
