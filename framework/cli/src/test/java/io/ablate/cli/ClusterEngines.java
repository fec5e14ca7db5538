package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * For the tests that run studies on real cluster engines started on 127.0.0.1 (Slurm, Spark). Without
 * the engine installed such a test is skipped with the reason, unless {@code ABLATE_CLUSTER_TESTS_REQUIRED=true}
 * or {@code -Dablate.cluster-tests.required=true} (CI, after scripts/install-cluster-engines.sh) makes that a
 * failure. Also what they share: processes with a given environment, the tiny study, reading results.
 */
final class ClusterEngines {
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

  private ClusterEngines() {}

  static void require(boolean ok, String why) {
    if (!ok && (Boolean.getBoolean("ablate.cluster-tests.required")
        || "true".equals(System.getenv("ABLATE_CLUSTER_TESTS_REQUIRED")))) {
      fail(why + " (required here: ABLATE_CLUSTER_TESTS_REQUIRED)");
    }
    assumeTrue(ok, () -> "skipped: " + why);
  }

  /** Six cells (3 variants × 2 seeds), each a few seconds. */
  static final String SPEC = """
      study: cluster
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: %d, batch: 8, eval_every: 20}
      ablate:
        grid:
          model.positional.type: [sinusoidal, none, rotary]
      seeds: [1, 2]
      metrics: [exact_match, loss]
      """;

  record Result(int code, String output) {}

  /** Runs a command with extra environment, waiting at most {@code seconds}. */
  static Result run(List<String> cmd, Map<String, String> env, Path log, long seconds)
      throws IOException, InterruptedException {
    Process p = start(cmd, env, log);
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("timed out after " + seconds + " s: " + cmd + "\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  static Process start(List<String> cmd, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** {@code java … Ablate ARGS} on the test class path (what the cells then run too). */
  static List<String> ablate(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-cp", System.getProperty("java.class.path"),
        Ablate.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  /** Each run folder of a study: the train_loss steps in its metrics.jsonl, which must be 1..steps once each. */
  static void assertEveryCellOnce(Path studyDir, int cells, int steps) throws IOException {
    List<Path> runs;
    try (Stream<Path> s = Files.list(studyDir.resolve("runs"))) {
      runs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("tribuo")).toList();
    }
    assertEquals(cells, runs.size(), "one folder per cell: " + runs);
    for (Path run : runs) {
      assertTrue(Files.isRegularFile(run.resolve("cell.done")) || Files.readString(run.resolve("run.json"))
          .contains("\"finished\""), run + " is done");
      long n = Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"train_loss\""))
          .count();
      assertEquals(steps, n, run + ": every step once");
    }
  }
}
