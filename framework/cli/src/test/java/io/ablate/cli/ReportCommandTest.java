package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ablate run} on a tiny real study (sinusoidal vs no positions × two seeds, a few steps of the
 * copy task) leaves study.json, attention captures and the full report; {@code ablate report}
 * rebuilds every report file from the results folder alone.
 */
class ReportCommandTest {
  private static final String SPEC = """
      study: report-e2e
      description: Tiny copy study <for the report test> & friends
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 6, eval_examples: 4}
        tokenizer: char
        model:
          architecture: decoder
          d_model: 16
          layers: 1
          heads: 2
          positional: {type: sinusoidal}
          ffn: {type: gelu, hidden: 32}
        train: {steps: 8, batch: 4, eval_every: 4}
      ablate:
        grid:
          model.positional.type: [sinusoidal, none]
      baseline: {model.positional.type: sinusoidal}
      seeds: [1, 2]
      metrics: [exact_match, loss]
      """;
  private static final List<String> REPORT_FILES = List.of("summary.csv", "summary.json", "summary.md", "runs.csv",
      "learning_curves.png", "attention_entropy.png", "length_generalisation.png", "attention_positional=sinusoidal.png",
      "attention_positional=none.png", "prefix_matching.csv", "report.html");   // a copy example is a repeat

  @TempDir
  static Path root;

  static Path results;
  static Path study;
  static Result ran;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cli = Ablate.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void runTheStudy() throws IOException {
    Path spec = root.resolve("study.yaml");
    Files.writeString(spec, SPEC);
    results = root.resolve("results");
    Path noPlugins = Files.createDirectories(root.resolve("no-plugins"));
    ran = run("run", spec.toString(), "--results-dir", results.toString(), "--quiet", "--plugin-path",
        noPlugins.toString());
    study = results.resolve("report-e2e");
  }

  @Test
  void runWritesStudyJsonAttentionCapturesAndTheReport() throws IOException {
    assertEquals(0, ran.code(), ran.err() + ran.out());
    JsonNode info = new ObjectMapper().readTree(study.resolve("study.json").toFile());
    assertEquals("positional=sinusoidal", info.get("baseline").asText());
    assertEquals(List.of("positional=sinusoidal", "positional=none"), strings(info.get("variants")));
    assertEquals(4, info.get("runs").size());
    for (String file : REPORT_FILES) {
      assertTrue(Files.isRegularFile(study.resolve(file)), file + " written by run");
    }
    for (Path runDir : runDirs()) {
      JsonNode attention = new ObjectMapper().readTree(runDir.resolve("attention.json").toFile());
      int tokens = attention.get("tokens").size();
      assertTrue(tokens > 2, runDir + ": the example's tokens");
      assertEquals(tokens, attention.get("pieces").size());
      JsonNode layers = attention.get("layers");
      assertEquals(1, layers.size(), "one block");
      JsonNode heads = layers.elements().next();
      assertEquals(2, heads.size(), "two heads");
      for (JsonNode head : heads) {
        assertEquals(tokens, head.size(), "a row per query");
        for (int q = 0; q < tokens; q++) {
          double sum = 0;
          for (int k = 0; k < tokens; k++) {
            double w = head.get(q).get(k).asDouble();
            sum += w;
            if (k > q) {
              assertEquals(0, w, 1e-6, "causal: query " + q + " does not see key " + k);
            }
          }
          assertEquals(1, sum, 1e-4, "softmax row sums to one");
        }
      }
    }
    assertTrue(ran.out().lines().anyMatch(l -> l.startsWith("positional=none ")), ran.out());
    assertTrue(ran.out().contains("report.html"), ran.out());
  }

  @Test
  void reportRebuildsEveryFileFromTheFolderAlone() throws IOException {
    assertEquals(0, ran.code(), ran.err());
    Map<String, Long> sizes = new TreeMap<>();
    for (String file : REPORT_FILES) {
      sizes.put(file, Files.size(study.resolve(file)));
      Files.delete(study.resolve(file));
    }
    Result r = run("report", "report-e2e", "--results-dir", results.toString());
    assertEquals(0, r.code(), r.err());
    for (String file : REPORT_FILES) {
      assertTrue(Files.isRegularFile(study.resolve(file)), file + " rebuilt");
      if (file.endsWith(".png")) {
        assertTrue(ImageIO.read(study.resolve(file).toFile()).getWidth() > 100, file + " decodes");
      }
    }
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("positional=sinusoidal (baseline) ")), r.out());
    assertTrue(r.out().contains("Wrote " + REPORT_FILES.size() + " files"), r.out());
    String html = Files.readString(study.resolve("report.html"));
    assertTrue(html.contains("Tiny copy study &lt;for the report test&gt; &amp; friends"));
    assertEquals(3 + 2, html.split("data:image/png;base64,", -1).length - 1, "5 embedded plots");
    assertEquals(sizes.get("summary.csv"), Files.size(study.resolve("summary.csv")), "same summary as after run");

    // the folder's path works as well as the name
    Result byPath = run("report", study.toString(), "--quiet");
    assertEquals(0, byPath.code(), byPath.err());
    assertFalse(byPath.out().lines().anyMatch(l -> l.startsWith("variant ")), "--quiet leaves out the table");
  }

  @Test
  void anUnknownStudyIsAUserErrorNamingTheKnownOnes() {
    Result r = run("report", "no-such-study", "--results-dir", results.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no results for 'no-such-study'"), r.err());
    assertTrue(r.err().contains("studies there: report-e2e"), r.err());
  }

  private static List<Path> runDirs() throws IOException {
    try (Stream<Path> dirs = Files.list(study.resolve("runs"))) {
      List<Path> out = new ArrayList<>(dirs.filter(Files::isDirectory).sorted().toList());
      assertEquals(4, out.size());
      return out;
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
