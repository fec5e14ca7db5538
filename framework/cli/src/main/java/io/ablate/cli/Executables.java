package io.ablate.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Programs found on the PATH. */
final class Executables {
  private Executables() {}

  /** The executable {@code name} on the PATH, or null. */
  static Path which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
