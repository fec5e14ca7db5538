package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ablate plan}: every variant × seed with its size and status, and located spec errors. */
class PlanCommandTest {
  private static final String SPEC = """
      study: plan-test
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 4, batch: 4, eval_every: 4}
      ablate:
        grid:
          model.positional.type: [none, learned]
      seeds: [1, 2]
      """;

  @TempDir
  Path dir;

  private String[] run(String... args) {
    CommandLine cli = Ablate.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void listsRunsWithSizesAndWhatIsDone() throws Exception {
    Path spec = dir.resolve("plan.yaml");
    Files.writeString(spec, SPEC);
    String results = dir.resolve("results").toString();
    String[] before = run("plan", spec.toString(), "--results-dir", results);
    assertEquals("0", before[0], before[2]);
    assertTrue(before[1].contains("2 variants × 2 seeds = 4 runs"), before[1]);
    assertTrue(before[1].contains("0 of 4 runs done"), before[1]);
    // learned positions add a (max_length × d_model) table: the two variants differ in size
    String none = before[1].lines().filter(l -> l.startsWith("positional=none ")).findFirst().orElseThrow();
    String learned = before[1].lines().filter(l -> l.startsWith("positional=learned ")).findFirst().orElseThrow();
    assertTrue(!none.split("\\s+")[2].equals(learned.split("\\s+")[2]), none + " / " + learned);

    assertEquals(0, Ablate.commandLine().execute("run", spec.toString(), "--results-dir", results, "--quiet",
        "--set", "seeds=[1]"));
    String[] after = run("plan", spec.toString(), "--results-dir", results);
    assertTrue(after[1].contains("2 of 4 runs done"), after[1]);
    assertEquals(2, after[1].lines().filter(l -> l.contains("finished")).count(), after[1]);
  }

  @Test
  void aBadSetValueIsBlamedOnSetNotOnTheFile() throws Exception {
    Path spec = Files.writeString(dir.resolve("plan.yaml"), SPEC);
    String[] r = run("plan", spec.toString(), "--set", "base.train.steps=abc");
    assertEquals("2", r[0], r[1]);
    assertTrue(r[2].contains("--set base.train.steps=abc: ") && r[2].contains("'steps' must be int") && !r[2].contains(spec.toString()),
        r[2]);
    String[] second = run("plan", spec.toString(), "--set", "seeds=[1]", "--set", "base.train.batch=many");
    assertTrue(second[2].contains("--set base.train.batch=many: ") && second[2].contains("'batch'"), "the second --set: " + second[2]);
  }

  @Test
  void aBaseValueThatTheGridOverridesIsStillChecked() throws Exception {
    Path spec = Files.writeString(dir.resolve("plan.yaml"), SPEC.replace("model: {architecture: decoder,",
        "model: {architecture: decoder, positional: sinusodial,"));
    String[] r = run("plan", spec.toString());
    assertEquals("2", r[0], r[1]);
    assertTrue(r[2].contains(spec + ":5:") && r[2].contains("sinusodial") && r[2].contains("sinusoidal"),
        "located in base, with the nearest name: " + r[2]);
  }

  @Test
  void aBadSpecIsOneLocatedLine() throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, SPEC.replace("layers: 1", "layres: 1"));
    String[] r = run("plan", spec.toString(), "--results-dir", dir.resolve("results").toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains(spec + ":5:") && r[2].contains("did you mean 'layers'?"), r[2]);
  }
}
