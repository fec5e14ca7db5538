package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tracking.Credentials;
import io.ablate.tracking.FileStore;
import io.ablate.tracking.MetricPoint;
import io.ablate.tracking.MlflowServer;
import io.ablate.tracking.RestStore;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study on a real Spark standalone cluster on 127.0.0.1 (a master and two one-core workers from the
 * pinned pyspark, started by scripts/spark-local.sh, stopped by PID): the same summary.csv as a local run
 * although an executor is killed with SIGKILL while it trains a cell, every cell once, and a second
 * submission trains nothing. Bad masters and a missing spark-submit are one line, exit 2, nothing written.
 */
class SparkClusterTest {
  private static final int STEPS = 60;
  private static Path cluster;
  private static Map<String, String> env;
  private static String master;

  @TempDir
  Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    Optional<Path> sparkHome;
    Path site = ClusterEngines.ROOT.resolve(".spark-venv/lib");
    try (Stream<Path> s = Files.isDirectory(site) ? Files.list(site) : Stream.empty()) {
      sparkHome = s.map(p -> p.resolve("site-packages/pyspark")).filter(p -> Files.isExecutable(p.resolve(
          "bin/spark-submit"))).findFirst();
    }
    ClusterEngines.require(sparkHome.isPresent(), "pyspark 4.2.0 is not installed in .spark-venv/ "
        + "(scripts/install-cluster-engines.sh)");
    cluster = Files.createTempDirectory("ablate-spark");
    ClusterEngines.Result started = ClusterEngines.run(List.of("bash", ClusterEngines.ROOT.resolve(
        "scripts/spark-local.sh").toString(), "start", cluster.toString(), "2", "1"), Map.of(),
        cluster.resolveSibling(cluster.getFileName() + ".log"), 300);
    assertEquals(0, started.code(), started.output());
    Matcher m = Pattern.compile("MASTER=(\\S+)").matcher(started.output());
    assertTrue(m.find(), started.output());
    master = m.group(1);
    env = Map.of("SPARK_HOME", sparkHome.get().toString(), "OMP_WAIT_POLICY", "PASSIVE");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      ClusterEngines.run(List.of("bash", ClusterEngines.ROOT.resolve("scripts/spark-local.sh").toString(), "stop",
          cluster.toString()), Map.of(), cluster.resolveSibling(cluster.getFileName() + ".stop.log"), 60);
    }
  }

  @Test
  void aStudyOnSparkMatchesALocalRunAfterAnExecutorIsKilledAndIsNotRunTwice() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, ClusterEngines.SPEC.formatted(STEPS));
    Path results = dir.resolve("spark-results");
    Path mlruns = dir.resolve("mlruns");
    Process local = ClusterEngines.start(ClusterEngines.ablate("run", spec.toString(), "--results-dir",
        dir.resolve("local").toString(), "--tracking-uri", "none", "--quiet"), Map.of("OMP_NUM_THREADS", "1"),
        dir.resolve("local.log"));

    Process study = ClusterEngines.start(ClusterEngines.ablate("run", spec.toString(), "--executor", "spark",
        "--master", master, "--results-dir", results.toString(), "--tracking-uri", mlruns.toString()), env,
        dir.resolve("spark.log"));
    // kill -9 an executor while one of its cells trains
    ProcessHandle executor = null;
    long deadline = System.currentTimeMillis() + 300_000;
    while (executor == null) {
      assertTrue(study.isAlive() && System.currentTimeMillis() < deadline, Files.readString(dir.resolve("spark.log")));
      executor = training().orElse(null);
      Thread.sleep(100);
    }
    String killed = executor.pid() + " " + executor.info().commandLine().orElse("?").replaceAll(" -cp \\S+", "");
    assertTrue(executor.destroyForcibly(), "kill -9 " + killed);
    assertTrue(study.waitFor(600, TimeUnit.SECONDS), "the study ended");
    String output = Files.readString(dir.resolve("spark.log"));
    assertEquals(0, study.exitValue(), output);
    assertTrue(output.contains("6 of 6 cells done (0 failed), 0 not done"), output);

    ClusterEngines.assertEveryCellOnce(results.resolve("cluster"), 6, STEPS);
    try (Stream<Path> logs = Files.walk(results.resolve("cluster/spark"))) {
      List<String> names = logs.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.stream().anyMatch(n -> n.contains("-attempt-1-")), "Spark retried the killed executor's "
          + "cell (executor " + killed + "): " + names + "\n" + output);
    }
    assertTrue(local.waitFor(600, TimeUnit.SECONDS), "the local reference run ended");
    assertEquals(0, local.exitValue(), Files.readString(dir.resolve("local.log")));
    assertEquals(Files.readString(dir.resolve("local/cluster/summary.csv")),
        Files.readString(results.resolve("cluster/summary.csv")), "the same numbers as a local run");
    FileStore store = new FileStore(mlruns);
    List<StoredRun> tracked = store.runs(store.findExperiment("cluster").orElseThrow());
    assertEquals(9, tracked.size(), "3 variant runs + 6 seed runs, the killed cell's re-attached: " + tracked);
    for (StoredRun r : tracked) {
      assertEquals(RunStatus.FINISHED, r.status(), r.name());
      if (r.tag("ablate.seed") != null) {
        assertEquals(LongStream.rangeClosed(1, STEPS).boxed().toList(), store.history(r.id(), "train_loss").stream()
            .map(MetricPoint::step).toList(), r.name() + ": every step once");
      }
    }

    ClusterEngines.Result again = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
        "spark", "--master", master, "--results-dir", results.toString(), "--tracking-uri", mlruns.toString()), env,
        dir.resolve("again.log"), 300);
    assertEquals(0, again.code(), again.output());
    assertTrue(again.output().contains("every cell is done: nothing submitted"), again.output());
    try (Stream<Path> logs = Files.list(results.resolve("cluster/spark"))) {
      assertEquals(1, logs.filter(p -> p.getFileName().toString().startsWith("driver-")).count(),
          "one Spark application only");
    }
  }

  @Test
  void anUnreachableMasterOrNoSparkIsOneLineAndNothingIsWritten() throws Exception {
    Path spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, ClusterEngines.SPEC.formatted(STEPS));
    ClusterEngines.Result r = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor", "spark",
        "--master", "spark://127.0.0.1:1", "--results-dir", dir.resolve("results").toString()), env,
        dir.resolve("unreachable.log"), 120);
    assertEquals(2, r.code(), r.output());
    assertTrue(r.output().strip().lines().reduce((a, b) -> b).orElse("").startsWith(
        "ablate run: --executor spark: the master spark://127.0.0.1:1 is not reachable (ConnectException"), r.output());
    assertFalse(r.output().contains("\tat "), "no stack trace: " + r.output());

    Path emptyPath = Files.createDirectories(dir.resolve("empty-path"));
    ClusterEngines.Result none = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
        "spark", "--master", master, "--results-dir", dir.resolve("results").toString()), Map.of("PATH",
        emptyPath.toString(), "SPARK_HOME", ""), dir.resolve("nospark.log"), 120);
    assertEquals(2, none.code(), none.output());
    assertTrue(none.output().contains("ablate run: --executor spark: spark-submit not found (set SPARK_HOME"),
        none.output());
    assertFalse(Files.exists(dir.resolve("results")), "nothing written");
  }

  /**
   * A results folder the executors do not see: a master with one worker started in its own mount namespace
   * where the test's folder is hidden under an empty tmpfs (needs unshare and mount, i.e. root; skipped without).
   * The shared-folder run stops in one line and leaves no MLflow parent run RUNNING; the same study with
   * {@code --state mlflow} (a real MLflow server) then runs there, and rebuilds the same summary elsewhere.
   */
  @Test
  void aResultsFolderTheExecutorsDoNotSeeIsOneLineAndStateInMlflowNeedsNone() throws Exception {
    boolean canHide = canHide(dir);
    org.junit.jupiter.api.Assumptions.assumeTrue(canHide, "skipped: cannot hide a folder in a mount namespace here "
        + "(unshare -m needs root)");
    Path blind = Files.createTempDirectory("ablate-spark-blind");
    try {
      ClusterEngines.Result started = ClusterEngines.run(List.of("bash", ClusterEngines.ROOT.resolve(
          "scripts/spark-local.sh").toString(), "start", blind.toString(), "0"), Map.of(),
          blind.resolveSibling(blind.getFileName() + ".log"), 300);
      assertEquals(0, started.code(), started.output());
      Matcher m = Pattern.compile("MASTER=(\\S+)").matcher(started.output());
      assertTrue(m.find(), started.output());
      String blindMaster = m.group(1);
      Path sparkHome = Path.of(env.get("SPARK_HOME"));
      Process worker = ClusterEngines.start(List.of("unshare", "-m", "bash", "-c", "mount -t tmpfs tmpfs '" + dir
          + "' && exec '" + sparkHome.resolve("bin/spark-class") + "' org.apache.spark.deploy.worker.Worker --host "
          + "127.0.0.1 --cores 1 --memory 1g --work-dir '" + blind.resolve("worker") + "' " + blindMaster),
          Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1", "TMPDIR",   // its cells' scratch
              Files.createDirectories(blind.resolve("node-tmp")).toString()), blind.resolve("worker-1.log"));
      Files.writeString(blind.resolve("worker-1.pid"), Long.toString(worker.pid()));
      long deadline = System.currentTimeMillis() + 300_000;
      while (!Files.readString(blind.resolve("worker-1.log")).contains("Successfully registered with master")) {
        assertTrue(worker.isAlive() && System.currentTimeMillis() < deadline, Files.readString(blind.resolve(
            "worker-1.log")));
        Thread.sleep(200);
      }
      // The spec where the worker sees it (Ablate's install is visible too); only the results folder is hidden.
      Path spec = blind.resolve("cluster.yaml");
      Files.writeString(spec, ClusterEngines.SPEC.formatted(STEPS));
      Path results = dir.resolve("results");
      try (MlflowServer server = MlflowServer.start(blind.resolve("mlflow"));
          RestStore store = new RestStore(server.uri(), Credentials.fromEnvironment())) {
        ClusterEngines.Result r = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
            "spark", "--master", blindMaster, "--results-dir", results.toString(), "--tracking-uri", server.uri()),
            env, dir.resolve("blind.log"), 600);
        assertEquals(2, r.code(), r.output());
        String last = r.output().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("ablate run: --executor spark: the results folder " + results.resolve("cluster")
            + " is not visible on the executors ("), r.output());
        assertTrue(last.endsWith("give --results-dir on a file system they share"), last);
        assertFalse(Files.exists(results.resolve("cluster/runs")), "no cell trained");
        List<StoredRun> parents = store.runs(store.findExperiment("cluster").orElseThrow());
        assertEquals(3, parents.size(), "the variants' parent runs only: " + parents);
        for (StoredRun parent : parents) {
          assertEquals(RunStatus.FAILED, parent.status(), "not left RUNNING: " + parent.name());
          assertTrue(parent.tag("ablate.failure").contains("is not visible on the executors"), parent.tags()
              .toString());
        }

        // Without a shared folder, --state mlflow: the cells keep their state and results in MLflow.
        ClusterEngines.Result state = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
            "spark", "--master", blindMaster, "--state", "mlflow", "--results-dir", results.toString(),
            "--tracking-uri", server.uri()), env, dir.resolve("mlflow-state.log"), 600);
        assertEquals(0, state.code(), state.output());
        assertTrue(state.output().contains("mlflow: 6 done cell(s) downloaded"), state.output());
        assertTrue(state.output().contains("6 of 6 cells done (0 failed), 0 not done"), state.output());
        ClusterEngines.assertEveryCellOnce(results.resolve("cluster"), 6, STEPS);
        List<StoredRun> tracked = store.runs(store.findExperiment("cluster").orElseThrow());
        assertEquals(9, tracked.size(), "3 variant runs (re-attached) + 6 seed runs: " + tracked);
        for (StoredRun run : tracked) {
          assertEquals(RunStatus.FINISHED, run.status(), run.name());
        }
        ClusterEngines.Result again = ClusterEngines.run(ClusterEngines.ablate("run", spec.toString(), "--executor",
            "spark", "--master", blindMaster, "--state", "mlflow", "--results-dir", dir.resolve("laptop").toString(),
            "--tracking-uri", server.uri()), env, dir.resolve("again.log"), 300);
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("every cell is done: nothing submitted"), again.output());
        assertEquals(Files.readString(results.resolve("cluster/summary.csv")),
            Files.readString(dir.resolve("laptop/cluster/summary.csv")), "rebuilt elsewhere from MLflow alone");
      }
    } finally {
      ClusterEngines.run(List.of("bash", ClusterEngines.ROOT.resolve("scripts/spark-local.sh").toString(), "stop",
          blind.toString()), Map.of(), blind.resolveSibling(blind.getFileName() + ".stop.log"), 60);
    }
  }

  /** Whether a folder can be hidden under a tmpfs in a new mount namespace here (a timeout counts as no). */
  private static boolean canHide(Path folder) throws Exception {
    Process p = new ProcessBuilder("unshare", "-m", "bash", "-c", "mount -t tmpfs tmpfs '" + folder + "' && test ! -e '"
        + folder + "/cluster.yaml'").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0;
  }

  private static boolean runCell(ProcessHandle p) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
          java.nio.charset.StandardCharsets.UTF_8).contains("run-cell");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** An executor of this cluster with a cell training under it (a run-cell child JVM), if there is one now. */
  private static Optional<ProcessHandle> training() throws Exception {
    try (Stream<Path> pids = Files.list(cluster)) {
      for (Path pidFile : pids.filter(p -> p.getFileName().toString().startsWith("worker-")
          && p.getFileName().toString().endsWith(".pid")).toList()) {
        Optional<ProcessHandle> worker = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        if (worker.isEmpty()) {
          continue;
        }
        // A worker's children are its executors; an executor's children are the run-cell JVMs of its cells
        // (read from /proc: ProcessHandle.Info cuts long command lines, and a zombie counts as alive).
        Optional<ProcessHandle> executor = worker.get().children().filter(p -> p.children().anyMatch(
            SparkClusterTest::runCell)).findFirst();
        if (executor.isPresent()) {
          return executor;
        }
      }
    }
    return Optional.empty();
  }
}
