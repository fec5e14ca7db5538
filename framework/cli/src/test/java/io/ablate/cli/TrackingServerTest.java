package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.tracking.MlflowServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ablate run --tracking-uri http://…} against a real {@code mlflow server}: what MLflow's own
 * Python client finds, {@code ablate compare} and {@code ablate report --tracking-uri} reading it
 * back, and a second run of the study adding nothing.
 */
class TrackingServerTest {
  private static final String SPEC = """
      study: tracked
      description: two positional encodings on a tiny copy task
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 30, batch: 8, eval_every: 15}
      ablate:
        grid:
          model.positional.type: [sinusoidal, none]
      seeds: [1, 2]
      metrics: [exact_match, loss]
      """;

  private static final String READ = """
      import json, sys
      from mlflow import MlflowClient
      c = MlflowClient()
      e = c.get_experiment_by_name(sys.argv[1])
      out = []
      for r in c.search_runs([e.experiment_id]):
          arts = [f.path for f in c.list_artifacts(r.info.run_id)]
          arts += [f.path for f in c.list_artifacts(r.info.run_id, "study")]
          out.append(dict(name=r.info.run_name, status=r.info.status, params=r.data.params, tags=dict(r.data.tags),
                          metrics=r.data.metrics, artifacts=arts,
                          steps=[m.step for m in c.get_metric_history(r.info.run_id, "train_loss")]))
      print(json.dumps(out))
      """;

  @TempDir
  Path dir;

  @TempDir
  static Path serverDir;

  private static MlflowServer server;

  /** One server for the class (it takes seconds to start); each test uses its own experiment. */
  private static MlflowServer server() {
    if (server == null) {
      server = MlflowServer.start(serverDir);
    }
    return server;
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aStudyLoggedToARealServerReadsBackEverywhere() throws Exception {
    Path spec = Files.writeString(dir.resolve("tracked.yaml"), SPEC);
    Path results = dir.resolve("results");
    MlflowServer server = server();
    CliRunner.Result run = CliRunner.run("run", spec.toString(), "--results-dir", results.toString(), "--quiet",
        "--tracking-uri", server.uri());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("tracking: all runs logged to " + server.uri()), run.out());

    JsonNode runs = new ObjectMapper().readTree(server.python(READ, "tracked"));
    assertEquals(6, runs.size(), "2 variant runs + 2 × 2 seed runs");
    int children = 0;
    for (JsonNode r : runs) {
      assertEquals("FINISHED", r.get("status").asText(), r.toString());
      assertEquals("tracked", r.get("tags").get("ablate.study").asText());
      String positional = r.get("params").get("model.positional.type").asText();
      assertTrue(List.of("sinusoidal", "none").contains(positional));
      assertEquals("30", r.get("params").get("train.steps").asText());
      if (r.get("tags").has("mlflow.parentRunId")) {
        children++;
        assertEquals(30, r.get("steps").size(), "train_loss at every step");
        assertTrue(r.get("metrics").has("exact_match.len:5"), "per-length metrics: " + r.get("metrics"));
        assertTrue(r.get("artifacts").toString().contains("run.json")
            && r.get("artifacts").toString().contains("model.ckpt"), r.get("artifacts").toString());
        assertTrue(r.get("tags").has("ablate.plugin.ablate-transformer") || r.get("tags").toString()
            .contains("ablate.plugin."), "plugin versions as tags");
      } else {
        assertTrue(r.get("metrics").has("exact_match/mean") && r.get("metrics").has("exact_match/ci95"),
            "statistics across seeds on the variant run: " + r.get("metrics"));
        r.get("metrics").fieldNames().forEachRemaining(k -> assertTrue(k.startsWith("exact_match/")
            || k.startsWith("loss/"), "only the declared metrics' statistics on the variant run: " + k));
        assertTrue(r.get("artifacts").toString().contains("study/summary.csv")
            && r.get("artifacts").toString().contains("study/report.html"), r.get("artifacts").toString());
      }
    }
    assertEquals(4, children);
    assertEquals("custom_model_development", server.python("""
        import sys
        from mlflow import MlflowClient
        print(MlflowClient().get_experiment_by_name(sys.argv[1]).tags.get("mlflow.experimentKind"))
        """, "tracked").strip(), "the UI opens the experiment on its runs, not on GenAI traces");

    String summaryCsv = Files.readString(results.resolve("tracked/summary.csv"));
    CliRunner.Result compare = CliRunner.run("compare", "tracked", "--tracking-uri", server.uri(), "--format", "csv");
    assertEquals(0, compare.code(), compare.err());
    assertEquals(sortedRows(summaryCsv), sortedRows(compare.out().lines()
        .map(l -> l.substring(l.indexOf(',') + 1)).reduce("", (a, b) -> a + b + "\n")), "same statistics");

    Path rebuilt = dir.resolve("rebuilt");
    CliRunner.Result report = CliRunner.run("report", "tracked", "--tracking-uri", server.uri(), "--results-dir",
        rebuilt.toString(), "--quiet");
    assertEquals(0, report.code(), report.err());
    assertEquals(summaryCsv, Files.readString(rebuilt.resolve("tracked/summary.csv")));
    assertTrue(Files.isRegularFile(rebuilt.resolve("tracked/report.html")));

    CliRunner.Result again = CliRunner.run("run", spec.toString(), "--results-dir", results.toString(), "--quiet",
        "--tracking-uri", server.uri());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("0 runs trained, 4 already done"), again.out());
    assertEquals(6, new ObjectMapper().readTree(server.python(READ, "tracked")).size(), "no run logged twice");
  }

  @Test
  void theSameVariantTrainedWithOtherSettingsIsNeverPooled() throws Exception {
    Path spec40 = Files.writeString(dir.resolve("configs.yaml"), SPEC.replace("study: tracked", "study: configs")
        .replace("steps: 30", "steps: 40").replace("[sinusoidal, none]", "[sinusoidal, rotary]"));
    Path results = dir.resolve("results");
    MlflowServer server = server();
    CliRunner.Result first = CliRunner.run("run", spec40.toString(), "--results-dir", results.toString(), "--quiet",
        "--tracking-uri", server.uri());
    assertEquals(0, first.code(), first.err());
    Path spec150 = Files.writeString(dir.resolve("configs.yaml"), Files.readString(spec40)
        .replace("steps: 40", "steps: 150"));
    CliRunner.Result second = CliRunner.run("run", spec150.toString(), "--results-dir", results.toString(), "--quiet",
        "--tracking-uri", server.uri());
    assertEquals(0, second.code(), second.err());

    JsonNode runs = new ObjectMapper().readTree(server.python(READ, "configs"));
    assertEquals(12, runs.size(), "2 configs × (2 variant runs + 2 × 2 seed runs)");
    java.util.Set<String> names = new java.util.HashSet<>();
    for (JsonNode r : runs) {
      assertTrue(names.add(r.get("name").asText()), "two runs named alike: " + r.get("name"));
    }

    String summaryCsv = Files.readString(results.resolve("configs/summary.csv"));
    CliRunner.Result compare = CliRunner.run("compare", "configs", "--tracking-uri", server.uri(), "--format", "csv");
    assertEquals(0, compare.code(), compare.err());
    List<String> rows = compare.out().lines().skip(1).toList();
    List<String> latest = rows.stream().filter(l -> l.startsWith("configs [train.steps=150],"))
        .map(l -> l.substring(l.indexOf(',') + 1)).toList();
    List<String> older = rows.stream().filter(l -> l.startsWith("configs [train.steps=40],")).toList();
    assertEquals(rows.size(), latest.size() + older.size(), "each row labelled with its config:\n" + compare.out());
    assertTrue(rows.get(0).startsWith("configs [train.steps=150],"), "the latest config first:\n" + compare.out());
    assertEquals(summaryCsv.lines().skip(1).sorted().toList(), latest.stream().sorted().toList(),
        "the latest config's statistics are the results folder's (n=2, not n=4)");
    for (String row : rows) {
      String n = row.replaceFirst("^configs \\[[^]]*\\],[^,]*,[^,]*,", "").split(",")[0];
      assertEquals("2", n, "two seeds per variant and config: " + row);
    }

    Path rebuilt = dir.resolve("rebuilt");
    CliRunner.Result report = CliRunner.run("report", "configs", "--tracking-uri", server.uri(), "--results-dir",
        rebuilt.toString(), "--quiet");
    assertEquals(0, report.code(), report.err());
    assertTrue(report.out().contains("holds 2 configurations"), report.out());
    assertEquals(summaryCsv, Files.readString(rebuilt.resolve("configs/summary.csv")));
  }

  private static List<String> sortedRows(String csv) {
    String[] lines = csv.strip().split("\n");
    return Arrays.stream(lines).sorted().toList();
  }

  @Test
  void aServerDownForTheWholeStudyGetsEverythingFromSyncLater() throws Exception {
    MlflowServer.assumeInstalled();
    Path spec = Files.writeString(dir.resolve("tracked.yaml"), SPEC.replace("study: tracked", "study: offline"));
    Path results = dir.resolve("results");
    String nobody = "http://127.0.0.1:" + new java.net.ServerSocket(0).getLocalPort();   // nothing listens there
    CliRunner.Result run = CliRunner.run("run", spec.toString(), "--results-dir", results.toString(), "--quiet",
        "--tracking-uri", nobody, "--tracking-wait", "1");
    assertEquals(0, run.code(), "the study does not depend on the server: " + run.err());
    assertTrue(run.out().contains("is not reachable; events are kept in"), run.out());

    MlflowServer server = server();
    CliRunner.Result sync = CliRunner.run("sync", results.resolve("offline").toString(), "--tracking-uri",
        server.uri());
    assertEquals(0, sync.code(), sync.out() + sync.err());
    JsonNode runs = new ObjectMapper().readTree(server.python(READ, "offline"));
    assertEquals(6, runs.size());
    for (JsonNode r : runs) {
      assertEquals("FINISHED", r.get("status").asText());
      if (r.get("tags").has("mlflow.parentRunId")) {
        assertEquals(30, r.get("steps").size(), "every step delivered once");
      }
    }
    CliRunner.Result again = CliRunner.run("sync", results.resolve("offline").toString(), "--tracking-uri",
        server.uri());
    assertEquals(0, again.code());
    assertEquals(6, new ObjectMapper().readTree(server.python(READ, "offline")).size(), "a second sync adds nothing");
  }
}
