package io.ablate.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.resource.ResourceInformation;

/**
 * The Spark application of {@code ablate run --executor spark}, started by {@code spark-submit} with
 * a job file that the Ablate driver wrote (a properties file: the {@code run-cell} command, the cells).
 * First a probe checks that the executors see the study's results folder; then one task per cell
 * starts a child JVM on Ablate's own class path running {@code ablate run-cell} for it, with
 * {@code OMP_NUM_THREADS} set to the task's cores and {@code CUDA_VISIBLE_DEVICES} to its GPUs. A cell
 * that crashes fails its task, which Spark retries ({@code spark.task.maxFailures}); run-cell's lease
 * makes every attempt of a cell, and any other process, train it at most once.
 *
 * <p>Exit codes: 0 every cell ran (each finished or recorded as failed), 3 the results folder is not
 * visible on some executor, 1 a cell failed after every retry.
 */
public final class SparkCells {
  /** The results folder is not shared with the executors. */
  public static final int NOT_SHARED = 3;

  private SparkCells() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: spark-submit … ablate-spark.jar JOB_FILE (written by `ablate run --executor spark`)");
      System.exit(2);
    }
    Properties job = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      job.load(in);
    }
    List<String> command = list(job, "command.");
    List<String> cells = list(job, "cell.");
    String probe = job.getProperty("probe");
    String logs = job.getProperty("logs");
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf())) {
      int slots = Math.max(1, sc.defaultParallelism());
      List<String> blind = probe == null ? List.of()     // --state mlflow: no shared folder to probe
          : sc.parallelize(IntStream.range(0, slots).boxed().toList(), slots).map(new Probe(probe))
              .filter(missing -> !missing.isEmpty()).distinct().collect();
      if (!blind.isEmpty()) {
        System.err.println("ablate-spark: not shared: " + String.join("; ", blind));
        System.exit(NOT_SHARED);
      }
      sc.setJobDescription("ablate: " + cells.size() + " cells of " + job.getProperty("study"));
      sc.parallelize(IntStream.range(0, cells.size()).boxed().toList(), cells.size())
          .foreach(new RunCell(command, cells, logs));
    }
  }

  private static List<String> list(Properties job, String prefix) {
    List<String> values = new ArrayList<>();
    for (int i = 0; job.getProperty(prefix + i) != null; i++) {
      values.add(job.getProperty(prefix + i));
    }
    return values;
  }

  /** On an executor: "" when the probe file the driver wrote is visible here, else where it is not. */
  static final class Probe implements Function<Integer, String>, Serializable {
    private final String file;

    Probe(String file) {
      this.file = file;
    }

    @Override
    public String call(Integer slot) {
      return Files.isRegularFile(Path.of(file)) ? "" : file + " is not visible on " + host();
    }
  }

  /** On an executor: one cell, in a child JVM; fails the task (so Spark retries it) when the cell crashed. */
  static final class RunCell implements VoidFunction<Integer>, Serializable {
    private final List<String> command;
    private final List<String> cells;
    private final String logs;

    RunCell(List<String> command, List<String> cells, String logs) {
      this.command = command;
      this.cells = cells;
      this.logs = logs;
    }

    @Override
    public void call(Integer index) throws Exception {
      String cell = cells.get(index);
      TaskContext task = TaskContext.get();
      List<String> cmd = new ArrayList<>(command);
      cmd.set(0, java(cmd.get(0)));
      cmd.add("--cell");
      cmd.add(cell);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("OMP_NUM_THREADS", Integer.toString(Math.max(1, task.cpus())));
      env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
      ResourceInformation gpus = task.resourcesJMap().get("gpu");
      if (gpus != null) {
        env.put("CUDA_VISIBLE_DEVICES", String.join(",", gpus.addresses()));
      }
      // The child ends itself if this executor dies (kill -9), so a lost executor leaves no orphan training.
      env.put("ABLATE_EXIT_WITH_PID", Long.toString(ProcessHandle.current().pid()));
      File dir = logs == null ? new File(System.getProperty("java.io.tmpdir"), "ablate-cell-logs") : new File(logs);
      dir.mkdirs();                                // without a shared folder: this executor's temp folder
      File log = new File(dir, "cell-" + index + "-attempt-" + task.attemptNumber() + "-" + host() + ".log");
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
      Process p = pb.start();
      int code;
      try {
        code = p.waitFor();
      } catch (InterruptedException e) {          // the task was killed: so is its cell
        p.destroy();
        throw e;
      }
      if (code != 0 && code != 3) {                // 3: the run is recorded as failed (diverged): a result
        throw new IllegalStateException("ablate run-cell " + cell + " exited with " + code + " on " + host()
            + "; its output: " + log);
      }
    }
  }

  /**
   * The driver's java when this machine has it at the same path, else this executor's JAVA_HOME (a container
   * image's Java lives elsewhere than the submitting machine's), else {@code java} on the PATH.
   */
  static String java(String driverJava) {
    if (Files.isExecutable(Path.of(driverJava))) {
      return driverJava;
    }
    String home = System.getenv("JAVA_HOME");
    if (home != null && Files.isExecutable(Path.of(home, "bin", "java"))) {
      return Path.of(home, "bin", "java").toString();
    }
    return "java";
  }

  static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }
}
