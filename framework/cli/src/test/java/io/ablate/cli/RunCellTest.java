package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.experiment.run.CellLease;
import io.ablate.experiment.run.Cells;
import io.ablate.tracking.FileStore;
import io.ablate.tracking.MetricPoint;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.StoredRun;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ablate run-cell} in separate JVMs, as cluster tasks run it: two at once on one cell train it
 * once, a finished cell is not trained again, a stale lease is taken over and a live one is respected.
 */
class RunCellTest {
  static final String SPEC = """
      study: cells
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 60, batch: 8, eval_every: 30}
      ablate:
        grid:
          model.positional.type: [sinusoidal, none]
      seeds: [1]
      """;
  static final String CELL = "positional=none--seed-1-";

  @TempDir
  Path dir;

  private Path spec;
  private Path results;
  private Path mlruns;

  private String cellId() throws Exception {
    setUp();
    CliRunner.Result plan = CliRunner.run("plan", spec.toString(), "--results-dir", results.toString());
    assertEquals(0, plan.code(), plan.err());
    int at = plan.out().indexOf(CELL);
    assertTrue(at >= 0, plan.out());
    return plan.out().substring(at, at + CELL.length() + 8);
  }

  private void setUp() throws Exception {
    spec = dir.resolve("cells.yaml");
    Files.writeString(spec, SPEC);
    results = dir.resolve("results");
    mlruns = dir.resolve("mlruns");
  }

  private Process start(String cell, String log, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
        + File.separator + "java", "-Xmx512m", "-cp", System.getProperty("java.class.path"), Ablate.class.getName(),
        "run-cell", spec.toString(), "--cell", cell, "--results-dir", results.toString(), "--tracking-uri",
        mlruns.toString()));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
  }

  private int finish(Process p, String log) throws Exception {
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "run-cell did not end: " + Files.readString(dir.resolve(log)));
    return p.exitValue();
  }

  private Path runDir(String cell) {
    return results.resolve("cells/runs").resolve(cell);
  }

  @Test
  void twoProcessesOnOneCellTrainItOnceAndASecondRunTrainsNothing() throws Exception {
    String cell = cellId();
    Process a = start(cell, "a.log");
    Process b = start(cell, "b.log");
    assertEquals(0, finish(a, "a.log"), Files.readString(dir.resolve("a.log")));
    assertEquals(0, finish(b, "b.log"), Files.readString(dir.resolve("b.log")));
    String logs = Files.readString(dir.resolve("a.log")) + Files.readString(dir.resolve("b.log"));
    assertEquals(1, count(logs, "cell " + cell + ": finished"), logs);
    assertEquals(1, count(logs, "cell " + cell + ": done by another process: finished"), logs);

    Path run = runDir(cell);
    assertTrue(Files.isRegularFile(run.resolve(Cells.DONE)), "the done marker is written");
    assertFalse(Files.exists(run.resolve(CellLease.FILE)), "the lease is released");
    long trainLosses = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .filter(l -> l.contains("\"train_loss\"")).count();
    assertEquals(60, trainLosses, "every step logged once, by one process");
    try (Stream<Path> runs = Files.list(results.resolve("cells/runs"))) {
      assertEquals(1, runs.count(), "only this cell ran");
    }
    FileStore store = new FileStore(mlruns);
    List<StoredRun> tracked = store.runs(store.findExperiment("cells").orElseThrow());
    List<StoredRun> seeds = tracked.stream().filter(r -> r.tag("ablate.seed") != null).toList();
    assertEquals(1, seeds.size(), "one MLflow run for the cell: " + tracked);
    assertEquals(RunStatus.FINISHED, seeds.get(0).status());
    assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), store.history(seeds.get(0).id(), "train_loss")
        .stream().map(MetricPoint::step).toList(), "every step once in MLflow");

    FileTime before = Files.getLastModifiedTime(run.resolve("run.json"));
    CliRunner.Result again = CliRunner.run("run-cell", spec.toString(), "--cell", cell, "--results-dir",
        results.toString(), "--tracking-uri", mlruns.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("already finished; nothing to train"), again.out());
    assertEquals(before, Files.getLastModifiedTime(run.resolve("run.json")), "not trained again");
  }

  @Test
  void aStaleLeaseIsTakenOverAndALiveOneIsRespected() throws Exception {
    String cell = cellId();
    Path run = runDir(cell);
    Files.createDirectories(run);
    Path lease = run.resolve(CellLease.FILE);
    // A holder on another machine that stopped refreshing its lease ten minutes ago (it died).
    Files.writeString(lease, "gone-host pid 4242 started 2026-01-01T00:00:00Z 0000");
    Files.setLastModifiedTime(lease, FileTime.fromMillis(System.currentTimeMillis() - 600_000));
    CliRunner.Result taken = CliRunner.run("run-cell", spec.toString(), "--cell", cell, "--results-dir",
        results.toString(), "--tracking-uri", "none", "--lease-timeout", "30");
    assertEquals(0, taken.code(), taken.out() + taken.err());
    assertTrue(taken.out().contains("cell " + cell + ": finished"), taken.out());
    assertTrue(Files.isRegularFile(run.resolve(Cells.DONE)));

    // A live holder elsewhere (its lease just refreshed): --no-wait leaves it alone.
    String other = "positional=sinusoidal--seed-1-";
    CliRunner.Result plan = CliRunner.run("plan", spec.toString(), "--results-dir", results.toString());
    int at = plan.out().indexOf(other);
    String otherCell = plan.out().substring(at, at + other.length() + 8);
    Path otherRun = runDir(otherCell);
    Files.createDirectories(otherRun);
    Files.writeString(otherRun.resolve(CellLease.FILE), "busy-host pid 1 started 2026-01-01T00:00:00Z 0000");
    CliRunner.Result busy = CliRunner.run("run-cell", spec.toString(), "--cell", otherCell, "--results-dir",
        results.toString(), "--tracking-uri", "none", "--no-wait");
    assertEquals(75, busy.code(), busy.out() + busy.err());
    assertTrue(busy.out().contains("another process trains it (busy-host pid 1"), busy.out());
    assertFalse(Files.exists(otherRun.resolve("run.json")), "nothing trained");

    // Waiting instead: the holder never refreshes its lease, so after the timeout this process takes over.
    long t0 = System.nanoTime();
    CliRunner.Result waited = CliRunner.run("run-cell", spec.toString(), "--cell", otherCell, "--results-dir",
        results.toString(), "--tracking-uri", "none", "--lease-timeout", "3");
    assertEquals(0, waited.code(), waited.out() + waited.err());
    assertTrue((System.nanoTime() - t0) / 1e9 >= 2, "waited for the lease to go stale");
    assertTrue(Files.isRegularFile(otherRun.resolve(Cells.DONE)));
  }

  @Test
  void aCellKilledWithSigkillIsTakenOverAtOnceOnTheSameHost() throws Exception {
    String cell = cellId();
    Process p = start(cell, "killed.log");
    Path run = runDir(cell);
    long deadline = System.currentTimeMillis() + 120_000;
    while (!Files.exists(run.resolve("metrics.jsonl")) || Files.size(run.resolve("metrics.jsonl")) == 0) {
      assertTrue(p.isAlive() && System.currentTimeMillis() < deadline, Files.readString(dir.resolve("killed.log")));
      Thread.sleep(50);
    }
    p.destroyForcibly();                                   // SIGKILL: the lease file stays behind
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertTrue(Files.exists(run.resolve(CellLease.FILE)));
    long t0 = System.nanoTime();
    CliRunner.Result again = CliRunner.run("run-cell", spec.toString(), "--cell", cell, "--results-dir",
        results.toString(), "--tracking-uri", mlruns.toString());
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue((System.nanoTime() - t0) / 1e9 < 50, "a dead holder on this host is not waited for (60 s timeout)");
    FileStore store = new FileStore(mlruns);
    List<StoredRun> seeds = store.runs(store.findExperiment("cells").orElseThrow()).stream()
        .filter(r -> r.tag("ablate.seed") != null).toList();
    assertEquals(1, seeds.size(), "the retried cell re-attached to its MLflow run: " + seeds);
    assertEquals(RunStatus.FINISHED, seeds.get(0).status());
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
