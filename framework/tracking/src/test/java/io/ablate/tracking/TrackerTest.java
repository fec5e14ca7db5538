package io.ablate.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox and its delivery, against the local file store. */
class TrackerTest {
  @TempDir
  Path tmp;

  private Path outbox() {
    return tmp.resolve("results/study/tracking");
  }

  private FileStore store() {
    return new FileStore(tmp.resolve("mlruns"));
  }

  @Test
  void parentAndChildRunsWithParamsMetricsArtifactsAndStatus() throws Exception {
    Path artifact = Files.writeString(tmp.resolve("summary.csv"), "variant,metric\n");
    try (Tracker t = Tracker.open(outbox(), store())) {
      t.startRun("v1", "my-study", null, "variant v1", Map.of("ablate.variant", "v1"));
      t.startRun("v1/s1", "my-study", "v1", "v1 seed 1", Map.of("ablate.seed", "1"));
      t.log("v1/s1", Map.of("model.d_model", "32"), Map.of());
      for (int step = 1; step <= 5; step++) {
        t.metric("v1/s1", "train_loss", 1.0 / step, step);
      }
      t.metric("v1/s1", "exact_match@len=12", 0.5, 5);
      t.artifact("v1", "study", artifact);
      t.endRun("v1/s1", RunStatus.FAILED);
      t.endRun("v1", RunStatus.FINISHED);
      assertTrue(t.close(Duration.ofSeconds(10)));
    }
    FileStore store = store();
    String exp = store.findExperiment("my-study").orElseThrow();
    List<StoredRun> runs = store.runs(exp);
    assertEquals(2, runs.size());
    StoredRun parent = runs.stream().filter(r -> r.name().equals("variant v1")).findFirst().orElseThrow();
    StoredRun child = runs.stream().filter(r -> r.name().equals("v1 seed 1")).findFirst().orElseThrow();
    assertEquals(parent.id(), child.tag("mlflow.parentRunId"));
    assertEquals("v1/s1", child.tag(TrackingStore.KEY_TAG));
    assertEquals(RunStatus.FAILED, child.status());
    assertEquals(RunStatus.FINISHED, parent.status());
    assertEquals("32", child.params().get("model.d_model"));
    assertEquals(0.2, child.latest().get("train_loss"), 1e-12);
    assertEquals(0.5, child.latest().get("exact_match.len:24".replace("24", "12")), 0);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), store.history(child.id(), "train_loss").stream()
        .map(MetricPoint::step).toList());
    Path back = tmp.resolve("back.csv");
    store.downloadArtifact(parent.id(), "study/summary.csv", back);
    assertEquals("variant,metric\n", Files.readString(back));
  }

  @Test
  void aRestartedRunReattachesAndDoesNotLogAStepTwice() {
    try (Tracker t = Tracker.open(outbox(), store())) {
      t.startRun("r", "s", null, "r", Map.of());
      for (int step = 1; step <= 3; step++) {
        t.metric("r", "train_loss", step, step);
      }
      // interrupted here: no end event
    }
    try (Tracker t = Tracker.open(outbox(), store())) {
      assertTrue(t.wasStarted("r"));
      assertNull(t.endStatus("r"));
      t.startRun("r", "s", null, "r", Map.of());
      for (int step = 1; step <= 6; step++) {
        t.metric("r", "train_loss", step, step);        // retrained from step 1: same numbers
      }
      t.endRun("r", RunStatus.FINISHED);
    }
    FileStore store = store();
    List<StoredRun> runs = store.runs(store.findExperiment("s").orElseThrow());
    assertEquals(1, runs.size(), "re-attached, not a second run");
    assertEquals(RunStatus.FINISHED, runs.get(0).status());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), store.history(runs.get(0).id(), "train_loss").stream()
        .map(MetricPoint::step).toList());
  }

  @Test
  void aStoreThatFindsTheRunByItsKeyTagIsReusedWhenTheDeliveryStateIsLost() throws Exception {
    try (Tracker t = Tracker.open(outbox(), store())) {
      t.startRun("r", "s", null, "r", Map.of());
      t.endRun("r", RunStatus.FINISHED);
    }
    try (var files = Files.list(outbox())) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("delivered-")).toList()) {
        Files.delete(f);                                 // forget the store's ids: delivery starts over
      }
    }
    assertEquals(0, Tracker.sync(outbox(), store(), Duration.ofSeconds(10)));
    FileStore store = store();
    assertEquals(1, store.runs(store.findExperiment("s").orElseThrow()).size());
  }

  @Test
  void aLineCutShortByACrashIsSkippedAndTheRestDelivered() throws Exception {
    try (Tracker t = Tracker.open(outbox(), store())) {
      t.startRun("r", "s", null, "r", Map.of());
      t.metric("r", "loss", 1, 1);
    }
    Files.writeString(outbox().resolve(Outbox.FILE), "{\"event\":\"log\",\"run\":\"r\",\"metr",
        StandardOpenOption.APPEND);
    try (Tracker t = Tracker.open(outbox(), store())) {
      t.metric("r", "loss", 2, 2);
      t.endRun("r", RunStatus.FINISHED);
    }
    FileStore store = store();
    StoredRun run = store.runs(store.findExperiment("s").orElseThrow()).get(0);
    assertEquals(List.of(1L, 2L), store.history(run.id(), "loss").stream().map(MetricPoint::step).toList());
  }

  @Test
  void anEventTheStoreRefusesForGoodIsSetAsideWithItsReason() throws Exception {
    try (Tracker t = Tracker.open(outbox(), store())) {
      t.startRun("r", "s", null, "r", Map.of());
      t.log("r", Map.of("../escape", "x"), Map.of());
      t.metric("r", "loss", 1, 1);
      t.endRun("r", RunStatus.FINISHED);
      assertTrue(t.close(Duration.ofSeconds(10)));
    }
    String rejected = Files.readString(outbox().resolve("rejected.jsonl"));
    assertTrue(rejected.contains("../escape") && rejected.contains("not a valid name"), rejected);
    FileStore store = store();
    StoredRun run = store.runs(store.findExperiment("s").orElseThrow()).get(0);
    assertEquals(RunStatus.FINISHED, run.status(), "later events still delivered");
    assertFalse(Files.exists(tmp.resolve("mlruns").resolve("escape")));
  }
}
