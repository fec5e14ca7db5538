package io.ablate.spi;

/**
 * The SPI version. A plugin returns {@link #VERSION} from {@link Plugin#spiVersion()}; because it is a
 * compile-time constant, the value is inlined into the plugin's class file and so records the SPI the
 * plugin was <em>built</em> against. The loader accepts a plugin whose major version equals ours and
 * whose minor version is not newer than ours.
 */
public final class Spi {
  /** {@code major.minor}. Bump minor for additions, major for anything that breaks a built plugin. */
  public static final String VERSION = "1.1";

  private Spi() {}

  /** Whether a plugin built against {@code pluginVersion} can run on this SPI. */
  public static boolean isCompatible(String pluginVersion) {
    int[] ours = parse(VERSION);
    int[] theirs;
    try {
      theirs = parse(pluginVersion);
    } catch (RuntimeException e) {
      return false;
    }
    return theirs[0] == ours[0] && theirs[1] <= ours[1];
  }

  private static int[] parse(String version) {
    String[] parts = version.trim().split("\\.");
    return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
  }
}
