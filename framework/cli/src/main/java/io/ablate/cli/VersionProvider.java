package io.ablate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code ablate --version}: the version, and the git commit of the checkout the launcher runs from
 * ({@code +modified} when tracked files differ from it), so that a bug report names the code exactly.
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String home = System.getProperty("ablate.home", System.getProperty("user.dir"));
    String commit = git(home, "rev-parse", "HEAD");
    String state = commit == null ? "commit unknown (not a git checkout)"
        : "commit " + commit + (isModified(home) ? " +modified" : "");
    return new String[] {"ablate " + AblateVersion.current() + " (" + state + ")",
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
  }

  private static boolean isModified(String home) {
    String status = git(home, "status", "--porcelain", "--untracked-files=no");
    return status != null && !status.isBlank();
  }

  /** The trimmed output of a git command in {@code dir}, or null when git is absent or fails. */
  private static String git(String dir, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", Path.of(dir).toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.getErrorStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
