package io.ablate.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real MLflow (see {@link MlflowServer}): what Ablate writes, MLflow's own Python client
 * reads, from a tracking server and from the local file store; and a server killed mid-study loses
 * nothing.
 */
class RealMlflowTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Prints every run of an experiment as MLflow's Python client sees it. */
  private static final String READ_EXPERIMENT = """
      import json, sys
      from mlflow import MlflowClient
      c = MlflowClient()
      e = c.get_experiment_by_name(sys.argv[1])
      out = []
      for r in c.search_runs([e.experiment_id]):
          hist = {k: [[m.step, m.value] for m in c.get_metric_history(r.info.run_id, k)] for k in r.data.metrics}
          arts = sorted([f.path for f in c.list_artifacts(r.info.run_id)]
                        + [f.path for f in c.list_artifacts(r.info.run_id, "study")])
          out.append(dict(name=r.info.run_name, status=r.info.status, params=r.data.params,
                          tags=dict(r.data.tags), history=hist, artifacts=arts))
      print(json.dumps(out))
      """;

  @TempDir
  Path tmp;

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

  @org.junit.jupiter.api.AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A variant with two seeds: a parent run, two children, one failed. */
  private void logStudy(Tracker t) throws Exception {
    Path summary = Files.writeString(tmp.resolve("summary.csv"), "variant,metric,mean\nv,loss,0.5\n");
    t.startRun("v", "real-study", null, "positional=rotary", Map.of("ablate.variant", "positional=rotary"));
    for (long seed = 1; seed <= 2; seed++) {
      String run = "v/" + seed;
      t.startRun(run, "real-study", "v", "positional=rotary seed " + seed, Map.of("ablate.seed", "" + seed));
      t.log(run, Map.of("model.positional.type", "rotary", "train.lr", "0.003"), Map.of());
      for (int step = 1; step <= 30; step++) {
        t.metric(run, "train_loss", 2.0 / step, step);
      }
      t.metric(run, "exact_match@len=24", 0.25 * seed, 30);
      t.metric(run, "exact_match", 0.5 * seed, 30);        // beside its per-length variant: no clash
      t.endRun(run, seed == 2 ? RunStatus.FAILED : RunStatus.FINISHED);
    }
    t.log("v", Map.of(), Map.of("ablate.failures", "1"));
    t.metric("v", "exact_match/mean", 0.375, 30);
    t.artifact("v", "study", summary);
    t.endRun("v", RunStatus.FINISHED);
  }

  private static void assertReadsTheStudy(String printed) throws Exception {
    JsonNode runs = JSON.readTree(printed);
    assertEquals(3, runs.size(), printed);
    String parentId = null;
    for (JsonNode r : runs) {
      if (r.get("name").asText().equals("positional=rotary")) {
        assertEquals("FINISHED", r.get("status").asText());
        assertTrue(r.get("artifacts").toString().contains("\"study/summary.csv\""), r.toString());
        assertEquals(0.375, r.get("history").get("exact_match/mean").get(0).get(1).asDouble(), 0);
        parentId = r.get("tags").get("mlflow.parentRunId") == null ? "parent" : null;
      }
    }
    assertEquals("parent", parentId, "the variant run has no parent");
    for (JsonNode r : runs) {
      if (r.get("name").asText().contains("seed")) {
        boolean second = r.get("name").asText().endsWith("seed 2");
        assertEquals(second ? "FAILED" : "FINISHED", r.get("status").asText());
        assertTrue(r.get("tags").has("mlflow.parentRunId"), r.toString());
        assertEquals("rotary", r.get("params").get("model.positional.type").asText());
        JsonNode loss = r.get("history").get("train_loss");
        assertEquals(30, loss.size(), "every step once");
        for (int i = 0; i < 30; i++) {
          assertEquals(i + 1, loss.get(i).get(0).asLong());
          assertEquals(2.0 / (i + 1), loss.get(i).get(1).asDouble(), 1e-12);
        }
        assertEquals(second ? 0.5 : 0.25, r.get("history").get("exact_match.len:24").get(0).get(1).asDouble(), 0);
        assertEquals(second ? 1.0 : 0.5, r.get("history").get("exact_match").get(0).get(1).asDouble(), 0);
      }
    }
  }

  @Test
  void theRealMlflowOpensTheLocalFileStore() throws Exception {
    MlflowServer.assumeInstalled();
    Path root = tmp.resolve("mlruns");
    try (Tracker t = Tracker.open(tmp.resolve("outbox"), new FileStore(root))) {
      logStudy(t);
    }
    String printed = MlflowServer.runPython(Map.of("MLFLOW_TRACKING_URI", root.toUri().toString(),
        "MLFLOW_ALLOW_FILE_STORE", "true"), READ_EXPERIMENT, "real-study");
    assertReadsTheStudy(printed);
    assertEquals(TrackingStore.EXPERIMENT_KIND, MlflowServer.runPython(Map.of("MLFLOW_TRACKING_URI",
        root.toUri().toString(), "MLFLOW_ALLOW_FILE_STORE", "true"), """
        from mlflow import MlflowClient
        print(MlflowClient().get_experiment_by_name("real-study").tags.get("mlflow.experimentKind"))
        """).strip(), "MLflow reads the experiment kind tag from the file store");
  }

  @Test
  void anSqliteUriLogsToAnMlflowDatabaseThatMlflowReads() throws Exception {
    MlflowServer.assumeInstalled();
    System.setProperty("ablate.home", MlflowServer.repositoryRoot().toString());   // finds .mlflow-venv/ there
    Path db = tmp.resolve("store/mlflow.db");
    String uri = "sqlite:///" + db;
    try (TrackingStore store = TrackingUri.open(uri).orElseThrow()) {
      assertEquals(uri, store.describe());
      try (Tracker t = Tracker.open(tmp.resolve("outbox"), store)) {
        logStudy(t);
        assertTrue(t.close(Duration.ofSeconds(60)));
      }
    }
    assertTrue(Files.isRegularFile(db), "the database is where the URI says");
    // artifacts are proxied (mlflow-artifacts:/), so MLflow reads them through a server on the same database
    // and artifact folder, as `mlflow ui --backend-store-uri sqlite:///mlflow.db` run beside it does
    try (MlflowServer reader = MlflowServer.start(db.getParent())) {
      assertReadsTheStudy(reader.python(READ_EXPERIMENT, "real-study"));
    }
    try (TrackingStore again = TrackingUri.open(uri).orElseThrow()) {
      assertEquals(3, again.runs(again.findExperiment("real-study").orElseThrow()).size(), "read back by Ablate");
    }
  }

  @Test
  void aRealServerHasEverythingThroughRestAndThroughMlflowsPythonClient() throws Exception {
    MlflowServer server = server();
    try (RestStore store = new RestStore(server.uri(), Credentials.NONE)) {
      try (Tracker t = Tracker.open(tmp.resolve("outbox"), store)) {
        logStudy(t);
        assertTrue(t.close(Duration.ofSeconds(60)));
      }
      assertReadsTheStudy(server.python(READ_EXPERIMENT, "real-study"));
      // and through Ablate's own reading side, which `ablate compare` and `ablate report` use
      String exp = store.findExperiment("real-study").orElseThrow();
      List<StoredRun> runs = store.runs(exp);
      assertEquals(3, runs.size());
      StoredRun parent = runs.stream().filter(r -> r.tag("mlflow.parentRunId") == null).findFirst().orElseThrow();
      Path back = tmp.resolve("back.csv");
      store.downloadArtifact(parent.id(), "study/summary.csv", back);
      assertEquals("variant,metric,mean\nv,loss,0.5\n", Files.readString(back));
      assertEquals("v", parent.tag(TrackingStore.KEY_TAG));
    }
  }

  @Test
  void aServerKilledAndRestartedMidStudyLosesNothingAndDuplicatesNothing() throws Exception {
    MlflowServer server = server();
    try (RestStore store = new RestStore(server.uri(), Credentials.NONE)) {
      List<Double> sent = new ArrayList<>();
      try (Tracker t = Tracker.open(tmp.resolve("outbox"), store, Duration.ofMillis(100))) {
        t.startRun("r", "outage", null, "r", Map.of());
        for (int step = 1; step <= 40; step++) {
          t.metric("r", "train_loss", 1.0 / step, step);
          sent.add(1.0 / step);
        }
        t.flush();
        Thread.sleep(1500);
        server.kill();                                     // mid-study, without warning
        for (int step = 41; step <= 80; step++) {
          t.metric("r", "train_loss", 1.0 / step, step);  // training goes on
          sent.add(1.0 / step);
        }
        t.flush();
        Thread.sleep(1500);
        assertTrue(t.pendingBytes() > 0, "nothing can have been delivered while the server is down");
        server.start();                                    // same port, same database
        for (int step = 81; step <= 100; step++) {
          t.metric("r", "train_loss", 1.0 / step, step);
          sent.add(1.0 / step);
        }
        t.endRun("r", RunStatus.FINISHED);
        assertTrue(t.close(Duration.ofSeconds(90)), "delivered once the server is back");
      }
      String exp = store.findExperiment("outage").orElseThrow();
      List<StoredRun> runs = store.runs(exp);
      assertEquals(1, runs.size());
      assertEquals(RunStatus.FINISHED, runs.get(0).status());
      List<MetricPoint> history = store.history(runs.get(0).id(), "train_loss");
      assertEquals(100, history.size(), "no gaps, no duplicates");
      for (int i = 0; i < 100; i++) {
        assertEquals(i + 1, history.get(i).step());
        assertEquals(sent.get(i), history.get(i).value(), 0);
      }
      assertFalse(Files.exists(tmp.resolve("outbox/rejected.jsonl")));
    }
  }
}
