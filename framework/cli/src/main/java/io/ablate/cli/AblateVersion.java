package io.ablate.cli;

import picocli.CommandLine.Command;

/** The version of the running Ablate: what a generated plugin project builds against. */
public final class AblateVersion {
  private AblateVersion() {}

  /**
   * The Implementation-Version of the packaged command-line jar, else (classes run from a build
   * folder or an IDE) the version {@code ablate --version} prints.
   */
  public static String current() {
    String packaged = Ablate.class.getPackage() == null ? null : Ablate.class.getPackage().getImplementationVersion();
    return packaged != null ? packaged : declared();
  }

  /** {@code 0.1.0-SNAPSHOT} from {@code @Command(version = "ablate 0.1.0-SNAPSHOT")} on {@link Ablate}. */
  static String declared() {
    String line = Ablate.class.getAnnotation(Command.class).version()[0];
    return line.substring(line.lastIndexOf(' ') + 1);
  }
}
