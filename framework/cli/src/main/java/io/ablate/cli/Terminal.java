package io.ablate.cli;

/**
 * Where the output goes: a terminal gets progress bars and colour; anything else (a pipe, a file,
 * a Slurm or CI log) gets plain lines. Colour is also off with {@code --no-color} or the
 * {@code NO_COLOR} environment variable (no-color.org).
 */
final class Terminal {
  private static volatile boolean noColor = System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty();

  private Terminal() {}

  /** True when both standard input and output are a terminal that can redraw a line. */
  static boolean interactive() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  static boolean colour() {
    return !noColor && interactive();
  }

  static void noColor() {
    noColor = true;
  }
}
