package io.ablate.experiment.spec;

import java.nio.file.Path;

/** Where a key or value was written: file, line and column (1-based), printed as {@code file:line:col}. */
public record Location(Path file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
