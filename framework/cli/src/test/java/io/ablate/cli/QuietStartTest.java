package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh {@code ablate} process prints its own lines only: ND4J's backend banner (GCC version,
 * HAVE_OPENBLAS, …) and INFO lines appear with {@code --verbose} alone. Runs in its own JVM, since log
 * levels are fixed when the first logger is made.
 */
class QuietStartTest {
  @TempDir
  Path dir;

  @Test
  void noBannerUnlessVerbose() throws Exception {
    Path spec = dir.resolve("quiet.yaml");
    Files.writeString(spec, """
        study: quiet
        base:
          task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
          model: {architecture: decoder, d_model: 16, layers: 1, heads: 2}
        """);
    String quiet = ablate("plan", spec.toString(), "--results-dir", dir.resolve("results").toString());
    assertTrue(quiet.startsWith("study quiet:"), quiet);
    assertFalse(quiet.contains("INFO") || quiet.contains("GCC") || quiet.contains("HAVE_OPENBLAS"), quiet);
    String verbose = ablate("plan", "--verbose", spec.toString(), "--results-dir", dir.resolve("results").toString());
    assertTrue(verbose.contains("Backend build information") && verbose.contains("INFO"), verbose);
  }

  private static String ablate(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), Ablate.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
