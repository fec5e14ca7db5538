package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code train: {select: best}} study logged to the local MLflow store: {@code ablate compare} reads
 * each run's chosen evaluation back (the values at {@code selected_step}, not the latest ones), so its
 * statistics equal the results folder's.
 */
class SelectBestCompareTest {
  private static final String SPEC = """
      study: select-best
      base:
        task: {type: reverse, symbols: 4, train_max_length: 4, eval_max_length: 4, eval_examples: 8}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 60, batch: 8, lr: 2.0e-2, eval_every: 5, schedule: constant}
      ablate:
        grid:
          train.select: [last, best]
      baseline: {train.select: last}
      seeds: [1, 2]
      metrics: [token_accuracy, loss]
      """;

  @TempDir
  Path dir;

  @Test
  void compareReportsTheSelectedEvaluationLikeTheResultsFolder() throws Exception {
    Path spec = Files.writeString(dir.resolve("select.yaml"), SPEC);
    Path results = dir.resolve("results");
    String store = dir.resolve("mlruns").toString();
    CliRunner.Result run = CliRunner.run("run", spec.toString(), "--results-dir", results.toString(), "--quiet",
        "--tracking-uri", store);
    assertEquals(0, run.code(), run.err());
    String summaryCsv = Files.readString(results.resolve("select-best/summary.csv"));
    String steps = summaryCsv.lines().filter(l -> l.startsWith("select=best,selected_step,2,0,")).findFirst()
        .orElseThrow(() -> new AssertionError(summaryCsv));
    double meanStep = Double.parseDouble(steps.split(",")[4]);
    assertTrue(meanStep < 60, "a seed chose an evaluation before the last, else this test shows nothing: " + steps);
    CliRunner.Result compare = CliRunner.run("compare", "select-best", "--tracking-uri", store, "--format", "csv");
    assertEquals(0, compare.code(), compare.err());
    assertEquals(sorted(summaryCsv), sorted(compare.out().lines().map(l -> l.substring(l.indexOf(',') + 1))
        .reduce("", (a, b) -> a + b + "\n")), "same statistics as the results folder");
  }

  private static List<String> sorted(String csv) {
    return Arrays.stream(csv.strip().split("\n")).sorted().toList();
  }
}
