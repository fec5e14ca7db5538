package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ablate run} with its output going to a file, as under nohup, Slurm or CI: one plain line
 * per evaluation and per finished run, no carriage return, no colour code, no progress bar.
 */
class PipedOutputTest {
  private static final String SPEC = """
      study: piped
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 20, batch: 8, eval_every: 10}
      ablate:
        grid:
          model.positional.type: [sinusoidal, none]
      seeds: [1, 2]
      metrics: [exact_match, loss]
      """;

  @TempDir
  Path dir;

  /** Runs the command line in a fresh JVM with stdout and stderr going to files; returns stdout. */
  private String runPiped(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
        + File.separator + "java", "-Xmx512m", "-cp", System.getProperty("java.class.path"), Ablate.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".log");
    Path err = Files.createTempFile(dir, "err", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().remove("NO_COLOR");
    Process process = builder.start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "finished");
    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    for (String text : List.of(stdout, stderr)) {
      assertFalse(text.contains("\r"), "no carriage return:\n" + text);
      assertFalse(text.contains("\u001B"), "no ANSI escape:\n" + text);
    }
    assertFalse(stderr.contains("study ") && stderr.contains("%"), "no progress bar:\n" + stderr);
    return stdout + "\nexit " + process.exitValue() + "\n" + stderr;
  }

  @Test
  void aPipeGetsOnePlainLinePerEvaluationAndPerRun() throws Exception {
    Path spec = Files.writeString(dir.resolve("piped.yaml"), SPEC);
    String out = runPiped("run", spec.toString(), "--results-dir", dir.resolve("results").toString());
    assertTrue(out.contains("\nexit 0\n"), out);
    List<String> done = out.lines().filter(l -> l.startsWith("done  [")).toList();
    assertEquals(4, done.size(), "a line per run:\n" + out);
    for (int i = 0; i < 4; i++) {
      String line = done.get(i);
      assertTrue(line.startsWith("done  [" + (i + 1) + "/4]  "), line);
      assertTrue(line.matches(".*--seed-[12]  finished  \\d+\\.\\d s  exact_match \\d\\.\\d{4}  loss \\d+\\.\\d{4}"),
          "run, status, time and the study's metrics: " + line);
    }
    List<String> evals = out.lines().filter(l -> l.startsWith("eval  ")).toList();
    assertEquals(8, evals.size(), "evaluations at steps 10 and 20 of each run:\n" + out);
    assertTrue(evals.stream().allMatch(l -> l.matches("eval  \\S+--seed-[12]  step (10|20)/20  exact_match \\S+  loss \\S+")),
        String.join("\n", evals));
    assertTrue(out.contains("4 runs trained, 0 already done, 0 failed."), out);
  }

  @Test
  void quietLeavesOnlyTheSummaryAndErrorsHaveNoColour() throws Exception {
    Path spec = Files.writeString(dir.resolve("piped.yaml"), SPEC.replace("steps: 20", "steps: 2")
        .replace("eval_every: 10", "eval_every: 2"));
    String out = runPiped("run", spec.toString(), "--results-dir", dir.resolve("results").toString(), "--quiet",
        "--no-color");
    assertTrue(out.contains("\nexit 0\n"), out);
    assertTrue(out.lines().noneMatch(l -> l.startsWith("eval  ") || l.startsWith("done  ")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("variant ") && l.contains(" n ")), "the summary table: " + out);

    String bad = runPiped("run", dir.resolve("missing.yaml").toString(), "--no-color");
    assertTrue(bad.contains("\nexit 2\n"), bad);
  }

  @Test
  void noColorIsAcceptedByEveryCommand() {
    assertEquals(0, CliRunner.run("plugins", "--no-color").code());
    assertEquals(0, CliRunner.run("--no-color", "plugins").code());
  }
}
