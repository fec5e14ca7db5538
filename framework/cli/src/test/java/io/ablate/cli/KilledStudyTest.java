package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.tracking.FileStore;
import io.ablate.tracking.MetricPoint;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.StoredRun;
import java.io.File;
import java.util.stream.LongStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study killed with SIGKILL in the middle of a run, then run again: the finished runs are kept as
 * they were, the interrupted one is trained again, and no run exists twice.
 */
class KilledStudyTest {
  private static final String SPEC = """
      study: killed
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 150, batch: 8, eval_every: 50}
      ablate:
        grid:
          model.positional.type: [sinusoidal, none]
      seeds: [1, 2]
      """;

  @TempDir
  Path dir;

  @Test
  void killedStudyResumesWithoutDuplicates() throws Exception {
    Path spec = dir.resolve("killed.yaml");
    Files.writeString(spec, SPEC);
    Path results = dir.resolve("results");
    Path mlruns = dir.resolve("mlruns");
    Process process = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java", "-Xmx512m", "-cp", System.getProperty("java.class.path"), Ablate.class.getName(), "run",
        spec.toString(), "--results-dir", results.toString(), "--quiet", "--tracking-uri", mlruns.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
    Path runs = results.resolve("killed/runs");
    long deadline = System.currentTimeMillis() + 120_000;
    while (statuses(runs).getOrDefault("finished", 0) < 1 || statuses(runs).getOrDefault("running", 0) < 1) {
      assertTrue(process.isAlive(), "the study ended before it could be killed: " + Files.readString(
          dir.resolve("first.log")));
      assertTrue(System.currentTimeMillis() < deadline, "no run finished in time");
      Thread.sleep(50);
    }
    process.destroyForcibly();                                  // SIGKILL: no shutdown hooks, no clean-up
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    Map<Path, FileTime> finishedBefore = new HashMap<>();
    for (Path run : list(runs)) {
      if ("finished".equals(status(run))) {
        finishedBefore.put(run, Files.getLastModifiedTime(run.resolve("run.json")));
      }
    }

    int code = Ablate.commandLine().execute("run", spec.toString(), "--results-dir", results.toString(), "--quiet",
        "--tracking-uri", mlruns.toString());
    assertEquals(0, code);
    assertEquals(4, list(runs).size(), "one directory per run, none duplicated");
    assertEquals(Map.of("finished", 4), statuses(runs));
    for (Map.Entry<Path, FileTime> e : finishedBefore.entrySet()) {
      assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey().resolve("run.json")),
          "a run finished before the kill is not trained again: " + e.getKey());
    }

    // The local MLflow store: one run per variant and per seed, the killed one re-attached, every step once.
    FileStore store = new FileStore(mlruns);
    List<StoredRun> tracked = store.runs(store.findExperiment("killed").orElseThrow());
    assertEquals(6, tracked.size(), "2 variant runs + 4 seed runs, no duplicates: " + tracked);
    for (StoredRun r : tracked) {
      assertEquals(RunStatus.FINISHED, r.status(), r.name());
      if (r.tag("ablate.seed") != null) {
        List<Long> steps = store.history(r.id(), "train_loss").stream().map(MetricPoint::step).toList();
        assertEquals(LongStream.rangeClosed(1, 150).boxed().toList(), steps, r.name() + ": every step once");
      }
    }
  }

  @Test
  void ctrlCMarksTheOpenRunsKilledAndAResumeFinishesThem() throws Exception {
    Path spec = dir.resolve("killed.yaml");
    Files.writeString(spec, SPEC.replace("[1, 2]", "[1]"));
    Path results = dir.resolve("results");
    Path mlruns = dir.resolve("mlruns");
    Process process = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java", "-Xmx512m", "-cp", System.getProperty("java.class.path"), Ablate.class.getName(), "run",
        spec.toString(), "--results-dir", results.toString(), "--quiet", "--tracking-uri", mlruns.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
    Path runs = results.resolve("killed/runs");
    long deadline = System.currentTimeMillis() + 120_000;
    while (statuses(runs).getOrDefault("running", 0) < 1) {
      assertTrue(process.isAlive() && System.currentTimeMillis() < deadline, Files.readString(dir.resolve("first.log")));
      Thread.sleep(50);
    }
    Thread.sleep(500);
    process.destroy();                                          // SIGTERM, as Ctrl-C: shutdown hooks run
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, statuses(runs).getOrDefault("failed", 0), "an interrupted run is not a failed one: " + statuses(runs));
    FileStore store = new FileStore(mlruns);
    List<StoredRun> tracked = store.runs(store.findExperiment("killed").orElseThrow());
    assertTrue(tracked.stream().anyMatch(r -> r.tag("ablate.seed") != null && r.status() == RunStatus.KILLED),
        "the interrupted seed run is KILLED: " + tracked);

    assertEquals(0, Ablate.commandLine().execute("run", spec.toString(), "--results-dir", results.toString(),
        "--quiet", "--tracking-uri", mlruns.toString()));
    tracked = store.runs(store.findExperiment("killed").orElseThrow());
    assertEquals(4, tracked.size(), "re-attached, not new runs: " + tracked);
    assertTrue(tracked.stream().allMatch(r -> r.status() == RunStatus.FINISHED), tracked.toString());
  }

  private static List<Path> list(Path runs) throws IOException {
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.toList();
    }
  }

  private static Map<String, Integer> statuses(Path runs) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    for (Path run : list(runs)) {
      String status = status(run);
      if (status != null) {
        counts.merge(status, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static String status(Path run) {
    try {
      JsonNode node = new ObjectMapper().readTree(run.resolve("run.json").toFile());
      return node.get("status").asText();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
