package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tracking.FileStore;
import io.ablate.tracking.MetricPoint;
import io.ablate.tracking.MlflowServer;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study on a real single-node Slurm cluster on 127.0.0.1 (munged, slurmctld, slurmd started by
 * scripts/slurm-local.sh, stopped by PID): one job array reaches the same summary.csv as a local run,
 * an array task cancelled mid-cell is trained once more by a resubmission (no cell twice), and
 * submitting a finished study submits nothing.
 */
class SlurmClusterTest {
  private static final int STEPS = 60;
  private static Path cluster;
  private static Map<String, String> env;

  @TempDir
  Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    boolean installed = ClusterEngines.onPath("sbatch") && Files.isExecutable(Path.of("/usr/sbin/slurmctld"))
        && Files.isExecutable(Path.of("/usr/sbin/munged"));
    ClusterEngines.require(installed, "Slurm is not installed (Debian packages slurm-wlm and munge; "
        + "scripts/install-cluster-engines.sh)");
    cluster = Files.createTempDirectory("ablate-slurm");
    ClusterEngines.Result started = ClusterEngines.run(List.of("bash", ClusterEngines.ROOT.resolve(
        "scripts/slurm-local.sh").toString(), "start", cluster.toString(), "2"), Map.of(), cluster.resolveSibling(
        cluster.getFileName() + ".log"), 120);
    assertEquals(0, started.code(), started.output());
    Matcher m = Pattern.compile("export SLURM_CONF=(\\S+)").matcher(started.output());
    assertTrue(m.find(), started.output());
    env = Map.of("SLURM_CONF", m.group(1), "OMP_WAIT_POLICY", "PASSIVE");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      ClusterEngines.run(List.of("bash", ClusterEngines.ROOT.resolve("scripts/slurm-local.sh").toString(), "stop",
          cluster.toString()), Map.of(), cluster.resolveSibling(cluster.getFileName() + ".stop.log"), 60);
    }
  }

  @Test
  void aStudyOnSlurmMatchesALocalRunSurvivesACancelledTaskAndIsNotSubmittedTwice() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, ClusterEngines.SPEC.formatted(STEPS));
    Path results = dir.resolve("slurm-results");
    Path mlruns = dir.resolve("mlruns");
    // The reference: the same study run locally, one BLAS thread as each cell has (--cpus-per-cell 1).
    Process local = ClusterEngines.start(ClusterEngines.ablate("run", spec.toString(), "--results-dir",
        dir.resolve("local").toString(), "--tracking-uri", "none", "--quiet"), Map.of("OMP_NUM_THREADS", "1"),
        dir.resolve("local.log"));

    ClusterEngines.Result submitted = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
        "slurm", "--array-limit", "2", "--results-dir", results.toString(), "--tracking-uri", mlruns.toString()), env,
        dir.resolve("submit.log"), 180);
    assertEquals(0, submitted.code(), submitted.output());
    String array = match("job array (\\d+)", submitted.output());
    String finish = match("and job (\\d+) to finish", submitted.output());

    // Cancel one array task while its cell trains: its run stays unfinished.
    String task = waitForRunningTask(array);
    Path runs = results.resolve("cluster/runs");
    long deadline = System.currentTimeMillis() + 300_000;
    while (!anyRunning(runs)) {
      assertTrue(System.currentTimeMillis() < deadline, "no cell started training");
      Thread.sleep(100);
    }
    assertEquals(0, ClusterEngines.run(List.of("scancel", task), env, dir.resolve("scancel.log"), 60).code());
    waitForJobs(List.of(array, finish));
    ClusterEngines.Result status = ClusterEngines.run(ClusterEngines.ablate("status", spec.toString(), "--results-dir",
        results.toString(), "--tracking-uri", mlruns.toString()), env, dir.resolve("status.log"), 120);
    assertTrue(status.output().contains("6 cells: 5 done, 0 failed, 0 running, 1 pending"), status.output());

    // Resubmitted: only the cancelled cell runs, and its run is taken over at once (its holder is gone).
    ClusterEngines.Result again = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
        "slurm", "--results-dir", results.toString(), "--tracking-uri", mlruns.toString()), env,
        dir.resolve("again.log"), 180);
    assertEquals(0, again.code(), again.output());
    assertTrue(again.output().contains("6 cells, 1 to run"), again.output());
    waitForJobs(List.of(match("job array (\\d+)", again.output()), match("and job (\\d+) to finish", again.output())));

    ClusterEngines.assertEveryCellOnce(results.resolve("cluster"), 6, STEPS);
    assertTrue(local.waitFor(600, java.util.concurrent.TimeUnit.SECONDS), "the local reference run ended");
    assertEquals(0, local.exitValue(), Files.readString(dir.resolve("local.log")));
    assertEquals(Files.readString(dir.resolve("local/cluster/summary.csv")),
        Files.readString(results.resolve("cluster/summary.csv")), "the same numbers as a local run");

    FileStore store = new FileStore(mlruns);
    List<StoredRun> tracked = store.runs(store.findExperiment("cluster").orElseThrow());
    assertEquals(9, tracked.size(), "3 variant runs + 6 seed runs, the cancelled one re-attached: " + tracked);
    for (StoredRun r : tracked) {
      assertEquals(RunStatus.FINISHED, r.status(), r.name());
      if (r.tag("ablate.seed") != null) {
        assertEquals(LongStream.rangeClosed(1, STEPS).boxed().toList(), store.history(r.id(), "train_loss").stream()
            .map(MetricPoint::step).toList(), r.name() + ": every step once");
      }
    }

    // A finished study: nothing submitted, nothing trained.
    Path jobs = results.resolve("cluster/slurm/jobs.txt");
    List<String> before = Files.readAllLines(jobs);
    ClusterEngines.Result third = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
        "slurm", "--results-dir", results.toString(), "--tracking-uri", mlruns.toString()), env,
        dir.resolve("third.log"), 180);
    assertEquals(0, third.code(), third.output());
    assertTrue(third.output().contains("every cell is done: nothing submitted"), third.output());
    assertEquals(before, Files.readAllLines(jobs));
  }

  /**
   * {@code --state mlflow} on Slurm against a real MLflow server: the tasks train in their own scratch ($TMPDIR),
   * not in the driver's results folder; status from another folder sees every cell done; finish there rebuilds
   * the results from MLflow; a second submission submits nothing.
   */
  @Test
  void withoutASharedFolderTheCellsStateIsInMlflow() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, ClusterEngines.SPEC.formatted(STEPS));
    Path driver = dir.resolve("driver");
    Path laptop = dir.resolve("laptop");
    Map<String, String> withScratch = new java.util.HashMap<>(env);
    withScratch.put("TMPDIR", Files.createDirectories(dir.resolve("node-tmp")).toString());
    try (MlflowServer server = MlflowServer.start(dir.resolve("mlflow"))) {
      ClusterEngines.Result submitted = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
          "slurm", "--state", "mlflow", "--results-dir", driver.toString(), "--tracking-uri", server.uri()),
          withScratch, dir.resolve("submit.log"), 180);
      assertEquals(0, submitted.code(), submitted.output());
      waitForJobs(List.of(match("job array (\\d+)", submitted.output()),
          match("and job (\\d+) to finish", submitted.output())));
      assertFalse(Files.exists(driver.resolve("cluster/runs")), "nothing trained in the driver's folder");
      assertTrue(Files.isDirectory(dir.resolve("node-tmp/ablate-cells-" + System.getProperty("user.name")
          + "/cluster/runs")), "the cells trained in their node's scratch");

      ClusterEngines.Result status = ClusterEngines.run(ClusterEngines.ablate("status", spec.toString(), "--state",
          "mlflow", "--results-dir", laptop.toString(), "--tracking-uri", server.uri()), env,
          dir.resolve("status.log"), 120);
      assertTrue(status.output().contains("cluster: 6 cells: 6 done, 0 failed, 0 running, 0 pending"),
          status.output());
      ClusterEngines.Result finish = ClusterEngines.run(ClusterEngines.ablate("finish", spec.toString(), "--state",
          "mlflow", "--results-dir", laptop.toString(), "--tracking-uri", server.uri()), env,
          dir.resolve("finish.log"), 300);
      assertEquals(0, finish.code(), finish.output());
      assertTrue(finish.output().contains("6 of 6 cells done (0 failed), 0 not done"), finish.output());
      ClusterEngines.assertEveryCellOnce(laptop.resolve("cluster"), 6, STEPS);

      ClusterEngines.Result again = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
          "slurm", "--state", "mlflow", "--results-dir", driver.toString(), "--tracking-uri", server.uri()),
          withScratch, dir.resolve("again.log"), 180);
      assertEquals(0, again.code(), again.output());
      assertTrue(again.output().contains("every cell is done: nothing submitted"), again.output());
    }
  }

  @Test
  void withoutSbatchNothingIsWritten() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, ClusterEngines.SPEC.formatted(STEPS));
    Path emptyPath = Files.createDirectories(dir.resolve("empty-path"));
    ClusterEngines.Result r = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor", "slurm",
        "--results-dir", dir.resolve("results").toString()), Map.of("PATH", emptyPath.toString()),
        dir.resolve("nosbatch.log"), 120);
    assertEquals(2, r.code(), r.output());
    assertTrue(r.output().strip().endsWith("ablate run: --executor slurm: sbatch is not on the PATH (run on a Slurm "
        + "login node, or load Slurm's module / install the slurm-client package)"), r.output());
    assertFalse(r.output().contains("Exception"), r.output());
    assertFalse(Files.exists(dir.resolve("results")), "nothing written");
  }

  private static String match(String regex, String text) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in:\n" + text);
    return m.group(1);
  }

  private String waitForRunningTask(String array) throws Exception {
    long deadline = System.currentTimeMillis() + 300_000;
    while (System.currentTimeMillis() < deadline) {
      String running = ClusterEngines.run(List.of("squeue", "-h", "-j", array, "-t", "R", "-o", "%i"), env,
          dir.resolve("squeue.log"), 60).output().strip();
      if (!running.isEmpty()) {
        return running.lines().findFirst().orElseThrow().strip();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no array task started running");
  }

  private void waitForJobs(List<String> jobs) throws Exception {
    long deadline = System.currentTimeMillis() + 900_000;
    while (System.currentTimeMillis() < deadline) {
      String left = ClusterEngines.run(List.of("squeue", "-h", "-j", String.join(",", jobs), "-o", "%i %T"), env,
          dir.resolve("squeue.log"), 60).output().strip();
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("jobs " + jobs + " did not end in time");
  }

  private static boolean anyRunning(Path runs) throws Exception {
    if (!Files.isDirectory(runs)) {
      return false;
    }
    try (var s = Files.list(runs)) {
      return s.anyMatch(r -> {
        try {
          return Files.readString(r.resolve("run.json")).contains("\"running\"");
        } catch (Exception e) {
          return false;
        }
      });
    }
  }
}
