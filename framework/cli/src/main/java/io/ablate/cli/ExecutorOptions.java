package io.ablate.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code ablate run --executor slurm|spark} and their options: where the cells of a study run when
 * one machine is not enough. The default, {@code local}, trains in this process.
 */
public final class ExecutorOptions {
  /** Where cells run. */
  public enum Executor { local, slurm, spark }

  @Option(names = "--executor", paramLabel = "NAME", defaultValue = "local", description = "Where the cells run: "
      + "local (this process, default), slurm (one sbatch job array; returns at once) or spark (one task per cell; "
      + "needs --master). See docs/cluster.md.")
  Executor executor;

  @Option(names = "--lease-timeout", paramLabel = "SECONDS", defaultValue = "60", description = "slurm/spark: a "
      + "cell whose lease was not refreshed for this long is taken over by another attempt (default ${DEFAULT-VALUE}).")
  long leaseTimeout;

  @Option(names = "--cpus-per-cell", paramLabel = "N", defaultValue = "1", description = "slurm/spark: cores per cell "
      + "(--cpus-per-task / spark.task.cpus; OMP_NUM_THREADS is set to match). Default ${DEFAULT-VALUE}.")
  int cpusPerCell;

  @Option(names = "--partition", paramLabel = "P", description = "slurm: the partition to submit to.")
  String partition;

  @Option(names = "--gres", paramLabel = "SPEC", description = "slurm: generic resources per cell, e.g. gpu:1.")
  String gres;

  @Option(names = "--array-limit", paramLabel = "N", description = "slurm: at most N cells at once (--array=…%%N).")
  Integer arrayLimit;

  @Option(names = "--time", paramLabel = "LIMIT", description = "slurm: time limit per cell, e.g. 04:00:00.")
  String time;

  @Option(names = "--sbatch-option", paramLabel = "OPTION", description = "slurm: an extra #SBATCH line, e.g. "
      + "--account=proj (repeatable).")
  List<String> sbatchOptions = new ArrayList<>();

  @Option(names = "--master", paramLabel = "URL", description = "spark: the master, e.g. spark://host:7077, "
      + "k8s://https://host:443, yarn, local[4].")
  String master;

  @Option(names = "--gpus-per-cell", paramLabel = "N", defaultValue = "0", description = "spark: GPUs per cell "
      + "(spark.task.resource.gpu.amount; the task's GPU addresses become CUDA_VISIBLE_DEVICES). Default ${DEFAULT-VALUE}.")
  double gpusPerCell;

  @Option(names = "--max-failures", paramLabel = "N", defaultValue = "4", description = "spark: attempts per cell "
      + "(spark.task.maxFailures). Default ${DEFAULT-VALUE}.")
  int maxFailures;

  @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "spark: an extra Spark setting (repeatable).")
  List<String> sparkConf = new ArrayList<>();

  /**
   * Whether the cells run elsewhere than in this process; an option of another executor than the chosen one
   * is an error (it would be ignored).
   */
  boolean remote() {
    List<String> slurm = new ArrayList<>();
    if (partition != null) {
      slurm.add("--partition");
    }
    if (gres != null) {
      slurm.add("--gres");
    }
    if (arrayLimit != null) {
      slurm.add("--array-limit");
    }
    if (time != null) {
      slurm.add("--time");
    }
    if (!sbatchOptions.isEmpty()) {
      slurm.add("--sbatch-option");
    }
    List<String> spark = new ArrayList<>();
    if (master != null) {
      spark.add("--master");
    }
    if (gpusPerCell != 0) {
      spark.add("--gpus-per-cell");
    }
    if (!sparkConf.isEmpty()) {
      spark.add("--spark-conf");
    }
    if (executor != Executor.slurm && !slurm.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", slurm) + ": only with --executor slurm (this run's "
          + "executor is " + executor + ")");
    }
    if (executor != Executor.spark && !spark.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", spark) + ": only with --executor spark (this run's "
          + "executor is " + executor + ")");
    }
    if (arrayLimit != null && arrayLimit < 1) {
      throw new IllegalArgumentException("--array-limit must be at least 1, got " + arrayLimit);
    }
    return executor != Executor.local;
  }
}
