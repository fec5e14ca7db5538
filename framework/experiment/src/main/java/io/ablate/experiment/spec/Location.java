package io.ablate.experiment.spec;

import java.nio.file.Path;

/**
 * Where a key or value was written: file, line and column (1-based), printed as {@code file:line:col};
 * or, for a value given on the command line, the option that gave it ({@code --set base.train.steps=x}).
 *
 * @param origin what to print instead of file:line:col, or null
 */
public record Location(Path file, int line, int column, String origin) {
  public Location(Path file, int line, int column) {
    this(file, line, column, null);
  }

  /** A value given by a command-line option rather than written in a file. */
  public static Location option(String text) {
    return new Location(Path.of("--set"), 0, 0, text);
  }

  @Override
  public String toString() {
    return origin != null ? origin : file + ":" + line + ":" + column;
  }
}
