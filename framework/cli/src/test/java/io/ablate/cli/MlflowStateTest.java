package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tracking.Credentials;
import io.ablate.tracking.MetricPoint;
import io.ablate.tracking.MlflowServer;
import io.ablate.tracking.RestStore;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.StoredRun;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --state mlflow} against a real {@code mlflow server}: cells on "machines" that share no folder (each
 * its own results folder) keep their done state in MLflow. A cell run twice gives one MLflow run; a cell whose
 * first attempt was killed (SIGKILL) re-attaches to that run elsewhere and logs no step twice; {@code status}
 * and {@code finish} from yet another folder see the cells as done and rebuild the results from the artifacts.
 */
class MlflowStateTest {
  private static final String SPEC = """
      study: %s
      base:
        task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: %d, batch: 8, eval_every: %d}
      ablate:
        grid:
          model.positional.type: [sinusoidal, none]
      seeds: [1]
      """;

  @TempDir
  Path dir;

  @TempDir
  static Path serverDir;

  private static MlflowServer server;

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

  private Path spec(String study, int steps, int evalEvery) throws Exception {
    return Files.writeString(dir.resolve(study + ".yaml"), String.format(SPEC, study, steps, evalEvery));
  }

  private static String cellId(Path spec, String prefix) {
    CliRunner.Result plan = CliRunner.run("plan", spec.toString(), "--results-dir", "unused");
    assertEquals(0, plan.code(), plan.err());
    int at = plan.out().indexOf(prefix);
    assertTrue(at >= 0, plan.out());
    return plan.out().substring(at, at + prefix.length() + 8);
  }

  private CliRunner.Result cell(Path spec, String cell, String machine) {
    return CliRunner.run("run-cell", spec.toString(), "--cell", cell, "--state", "mlflow", "--results-dir",
        dir.resolve(machine).toString(), "--tracking-uri", server().uri());
  }

  private static List<StoredRun> seedRuns(RestStore store, String experiment) {
    return store.runs(store.findExperiment(experiment).orElseThrow()).stream()
        .filter(r -> r.tag("ablate.seed") != null).toList();
  }

  private static List<Long> steps(RestStore store, StoredRun run) {
    return store.history(run.id(), "train_loss").stream().map(MetricPoint::step).sorted().toList();
  }

  @Test
  void aCellRunTwiceOnTwoMachinesIsOneMlflowRunAndStatusElsewhereSeesItDone() throws Exception {
    Path spec = spec("twice", 60, 30);
    String cell = cellId(spec, "positional=none--seed-1-");
    CliRunner.Result first = cell(spec, cell, "machine-a");
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("cell " + cell + ": finished"), first.out());

    CliRunner.Result second = cell(spec, cell, "machine-b");
    assertEquals(0, second.code(), second.out() + second.err());
    assertTrue(second.out().contains("already finished in MLflow"), second.out());
    assertFalse(Files.exists(dir.resolve("machine-b/twice/runs")), "nothing trained on the second machine");

    try (RestStore store = new RestStore(server().uri(), Credentials.fromEnvironment())) {
      List<StoredRun> seeds = seedRuns(store, "twice");
      assertEquals(1, seeds.size(), "one MLflow run for the cell: " + seeds);
      assertEquals(RunStatus.FINISHED, seeds.get(0).status());
      assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), steps(store, seeds.get(0)));
      Path ckpt = dir.resolve("model.ckpt");
      store.downloadArtifact(seeds.get(0).id(), "model.ckpt", ckpt);
      assertTrue(Files.size(ckpt) > 0, "the checkpoint is an artifact");
    }

    CliRunner.Result status = CliRunner.run("status", spec.toString(), "--state", "mlflow", "--results-dir",
        dir.resolve("laptop").toString(), "--tracking-uri", server().uri());
    assertEquals(0, status.code(), status.out() + status.err());
    assertTrue(status.out().contains("twice: 2 cells: 1 done, 0 failed, 0 running, 1 pending"), status.out());
    assertTrue(status.out().contains("done     " + cell), status.out());

    CliRunner.Result local = CliRunner.run("run", spec.toString(), "--state", "mlflow", "--tracking-uri",
        server().uri());
    assertEquals(2, local.code(), local.out() + local.err());
    assertTrue(local.err().contains("--state mlflow: only with --executor slurm or spark"), local.err());
    CliRunner.Result noServer = CliRunner.run("status", spec.toString(), "--state", "mlflow", "--tracking-uri",
        dir.resolve("mlruns").toString());
    assertEquals(2, noServer.code(), noServer.out() + noServer.err());
    assertTrue(noServer.err().contains("--state mlflow needs a tracking server"), noServer.err());
  }

  @Test
  void aKilledCellReattachesToItsRunOnAnotherMachineAndFinishRebuildsTheResults() throws Exception {
    Path spec = spec("killed", 600, 100);
    String cell = cellId(spec, "positional=sinusoidal--seed-1-");
    Path log = dir.resolve("killed.log");
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
        + File.separator + "java", "-Xmx512m", "-cp", System.getProperty("java.class.path"), Ablate.class.getName(),
        "run-cell", spec.toString(), "--cell", cell, "--state", "mlflow", "--results-dir",
        dir.resolve("machine-a").toString(), "--tracking-uri", server().uri()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String runId;
    try (RestStore store = new RestStore(server().uri(), Credentials.fromEnvironment())) {
      long deadline = System.currentTimeMillis() + 300_000;       // a JVM on a loaded machine can take minutes
      while (true) {
        assertTrue(p.isAlive(), "run-cell ended before it logged to MLflow: " + Files.readString(log));
        assertTrue(System.currentTimeMillis() < deadline, "nothing logged to MLflow in 300 s: " + Files.readString(log));
        List<StoredRun> seeds = store.findExperiment("killed").map(id -> seedRuns(store, "killed")).orElse(List.of());
        if (!seeds.isEmpty() && !steps(store, seeds.get(0)).isEmpty()) {
          runId = seeds.get(0).id();
          break;
        }
        Thread.sleep(100);
      }
      p.destroyForcibly();                                   // SIGKILL: its MLflow run stays RUNNING
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      StoredRun killed = seedRuns(store, "killed").get(0);
      assertEquals(RunStatus.RUNNING, killed.status(), "killed mid-run: " + Files.readString(log));
      int loggedBefore = steps(store, killed).size();
      assertTrue(loggedBefore < 600, "killed before the end (" + loggedBefore + " steps logged)");

      CliRunner.Result status = CliRunner.run("status", spec.toString(), "--state", "mlflow", "--results-dir",
          dir.resolve("laptop").toString(), "--tracking-uri", server().uri());
      assertTrue(status.out().contains("running  " + cell + "  mlflow run " + runId), status.out());

      CliRunner.Result retry = cell(spec, cell, "machine-b");
      assertEquals(0, retry.code(), retry.out() + retry.err());
      assertTrue(retry.out().contains("re-attaching to MLflow run " + runId + " (running)"), retry.out());
      List<StoredRun> seeds = seedRuns(store, "killed");
      assertEquals(1, seeds.size(), "the retry re-attached, no second run: " + seeds);
      assertEquals(runId, seeds.get(0).id());
      assertEquals(RunStatus.FINISHED, seeds.get(0).status());
      assertEquals(LongStream.rangeClosed(1, 600).boxed().toList(), steps(store, seeds.get(0)),
          "every step once: " + loggedBefore + " from the killed attempt, the rest from the retry");
    }

    CliRunner.Result other = cell(spec, cellId(spec, "positional=none--seed-1-"), "machine-c");
    assertEquals(0, other.code(), other.out() + other.err());
    Path laptop = dir.resolve("laptop");
    CliRunner.Result finish = CliRunner.run("finish", spec.toString(), "--state", "mlflow", "--results-dir",
        laptop.toString(), "--tracking-uri", server().uri());
    assertEquals(0, finish.code(), finish.out() + finish.err());
    assertTrue(finish.out().contains("mlflow: 2 done cell(s) downloaded"), finish.out());
    assertTrue(finish.out().contains("2 of 2 cells done (0 failed)"), finish.out());
    Path runs = laptop.resolve("killed/runs");
    assertEquals(Files.readString(dir.resolve("machine-b/killed/runs").resolve(cell).resolve("run.json")),
        Files.readString(runs.resolve(cell).resolve("run.json")), "the record as the training machine wrote it");
    assertEquals(600, Files.readAllLines(runs.resolve(cell).resolve("metrics.jsonl")).stream()
        .filter(l -> l.contains("\"train_loss\"")).count());
    assertTrue(Files.isRegularFile(laptop.resolve("killed/summary.csv")));
  }
}
