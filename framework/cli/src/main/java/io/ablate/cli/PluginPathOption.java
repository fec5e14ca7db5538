package io.ablate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --plugin-path DIR} (repeatable); default: {@code plugins/} next to the launcher. */
public final class PluginPathOption {
  @Option(names = "--plugin-path", paramLabel = "DIR", split = ":",
      description = "Directories of plugin jars (each *.jar, or each sub-directory of jars, is one plugin). "
          + "Default: plugins/ next to the launcher.")
  List<Path> dirs = new ArrayList<>();

  /** The directories to load external plugins from. */
  public List<Path> directories() {
    if (!dirs.isEmpty()) {
      return dirs;
    }
    String home = System.getProperty("ablate.home");
    return List.of(home == null ? Path.of("plugins") : Path.of(home, "plugins"));
  }
}
