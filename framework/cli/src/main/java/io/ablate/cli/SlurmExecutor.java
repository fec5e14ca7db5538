package io.ablate.cli;

import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Submits a study's unfinished cells as one Slurm job array ({@code sbatch --array}, requeueable,
 * each task running {@code ablate run-cell} for its cell, whose exit code is the task's), then a
 * job that runs {@code ablate finish} once the array has ended; returns without waiting. Scripts,
 * job ids and task logs go to {@code <results>/<study>/slurm/}.
 */
final class SlurmExecutor {
  static final String DIR = "slurm";
  /** One line per submission: {@code <time> <array job id> <finish job id> <cells>}. */
  static final String JOBS = "jobs.txt";

  private final ExecutorOptions options;
  private final CellCommandLine command;
  /** {@code --state mlflow}: the nodes share no folder with this one, so task logs go to their own /tmp. */
  private final boolean mlflow;

  SlurmExecutor(ExecutorOptions options, CellCommandLine command, boolean mlflow) {
    this.options = options;
    this.command = command;
    this.mlflow = mlflow;
  }

  /** Where a job's log goes: the study's slurm folder when shared, else the node's /tmp. */
  private String log(Path dir, String name) {
    return mlflow ? "/tmp/%x-" + name : dir.resolve(name).toString();
  }

  /** Fails with one clear line when {@code sbatch} cannot be run here (before anything is written). */
  static Path sbatch() {
    Path sbatch = Executables.which("sbatch");
    if (sbatch == null) {
      throw new IllegalArgumentException("--executor slurm: sbatch is not on the PATH (run on a Slurm login node, "
          + "or load Slurm's module / install the slurm-client package)");
    }
    return sbatch;
  }

  /** Submits the cells; returns the array job's id. */
  String submit(StudyPlan plan, List<RunSpec> cells, PrintWriter out) throws IOException, InterruptedException {
    Path sbatch = sbatch();
    Path dir = plan.dir().resolve(DIR);
    Files.createDirectories(dir);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT));
    Path array = dir.resolve("cells-" + stamp + ".sbatch");
    Files.writeString(array, arrayScript(plan, cells, dir), StandardCharsets.UTF_8);
    Path finish = dir.resolve("finish-" + stamp + ".sbatch");
    Files.writeString(finish, finishScript(plan, dir), StandardCharsets.UTF_8);

    String arrayJob = run(List.of(sbatch.toString(), "--parsable", array.toString()), "the cells' job array");
    String finishJob;
    try {
      finishJob = run(List.of(sbatch.toString(), "--parsable", "--dependency=afterany:" + arrayJob,
          "--kill-on-invalid-dep=yes", finish.toString()), "the finishing job");
    } catch (IllegalArgumentException e) {
      cancel(sbatch, arrayJob);            // nothing half-submitted
      throw e;
    }
    Files.writeString(dir.resolve(JOBS), String.format(Locale.ROOT, "%s %s %s %d%n", stamp, arrayJob, finishJob,
        cells.size()), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    out.printf("slurm: submitted %d cells as job array %s (script %s) and job %s to finish the study after it%n",
        cells.size(), arrayJob, array, finishJob);
    out.printf("slurm: this command returns now; follow with `ablate status %s`, task logs in %s%n",
        plan.spec().file() == null ? plan.spec().study() : plan.spec().file(), dir);
    out.flush();
    return arrayJob;
  }

  String arrayScript(StudyPlan plan, List<RunSpec> cells, Path dir) {
    StringBuilder s = new StringBuilder("#!/usr/bin/env bash\n");
    s.append("# Written by `ablate run --executor slurm`: one array task per unfinished cell of study ")
        .append(plan.spec().study()).append(".\n");
    s.append("#SBATCH --job-name=").append(jobName(plan)).append('\n');
    s.append("#SBATCH --array=0-").append(cells.size() - 1)
        .append(options.arrayLimit == null ? "" : "%" + options.arrayLimit).append('\n');
    s.append("#SBATCH --requeue\n");
    s.append("#SBATCH --open-mode=append\n");
    s.append("#SBATCH --output=").append(log(dir, "cell-%A_%a.log")).append('\n');
    s.append("#SBATCH --cpus-per-task=").append(options.cpusPerCell).append('\n');
    headers(s);
    s.append("set -uo pipefail\n");
    s.append("cells=(\n");
    for (RunSpec run : cells) {
      s.append("  ").append(CellCommandLine.quote(Cells.id(plan, run))).append('\n');
    }
    s.append(")\n");
    s.append("cell=\"${cells[$SLURM_ARRAY_TASK_ID]}\"\n");
    s.append("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-").append(options.cpusPerCell).append("}\"\n");
    s.append("export OMP_WAIT_POLICY=PASSIVE\n");
    s.append("echo \"ablate: cell $cell, array task $SLURM_ARRAY_TASK_ID of job ${SLURM_ARRAY_JOB_ID:-?}, "
        + "restart ${SLURM_RESTART_COUNT:-0}, on $(hostname)\"\n");
    List<String> cmd = command.runCell("CELL", options.leaseTimeout);
    String line = CellCommandLine.shell(cmd).replace("'CELL'", "\"$cell\"");
    s.append("# exit code: 0 finished, 3 recorded as failed (diverged: a result, not retried), other: crashed\n");
    s.append("exec ").append(line).append('\n');
    return s.toString();
  }

  String finishScript(StudyPlan plan, Path dir) {
    StringBuilder s = new StringBuilder("#!/usr/bin/env bash\n");
    s.append("# Written by `ablate run --executor slurm`: summary and report once the cells' array has ended.\n");
    s.append("#SBATCH --job-name=").append(jobName(plan)).append("-finish\n");
    s.append("#SBATCH --output=").append(log(dir, "finish-%j.log")).append('\n');
    s.append("#SBATCH --cpus-per-task=1\n");
    if (options.partition != null) {
      s.append("#SBATCH --partition=").append(options.partition).append('\n');
    }
    for (String extra : options.sbatchOptions) {
      s.append("#SBATCH ").append(extra).append('\n');
    }
    s.append("export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE\n");
    s.append("exec ").append(CellCommandLine.shell(command.command("finish")))
        .append(mlflow ? " --results-dir \"${TMPDIR:-/tmp}/ablate-finish-${SLURM_JOB_ID}\"" : "").append('\n');
    return s.toString();
  }

  private void headers(StringBuilder s) {
    if (options.partition != null) {
      s.append("#SBATCH --partition=").append(options.partition).append('\n');
    }
    if (options.gres != null) {
      s.append("#SBATCH --gres=").append(options.gres).append('\n');
    }
    if (options.time != null) {
      s.append("#SBATCH --time=").append(options.time).append('\n');
    }
    for (String extra : options.sbatchOptions) {
      s.append("#SBATCH ").append(extra).append('\n');
    }
  }

  private static String jobName(StudyPlan plan) {
    return "ablate-" + plan.spec().study().replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** Runs a Slurm command; its output's first field (a job id), or one clear line when it fails. */
  private static String run(List<String> cmd, String what) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalArgumentException("--executor slurm: sbatch did not answer in 120 s submitting " + what);
    }
    if (p.exitValue() != 0 || output.isEmpty()) {
      String last = output.isEmpty() ? "exit " + p.exitValue() : output.lines().reduce((a, b) -> b).orElse(output);
      throw new IllegalArgumentException("--executor slurm: sbatch refused " + what + ": " + last);
    }
    String lastLine = output.lines().reduce((a, b) -> b).orElse(output).strip();
    return lastLine.split(";")[0];
  }

  private static void cancel(Path sbatch, String job) {
    try {
      new ProcessBuilder(sbatch.resolveSibling("scancel").toString(), job).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // the error that made us cancel is what the user sees
    }
  }

  /** The array jobs submitted for a study, newest last: {@code [stamp, array job, finish job, cells]}. */
  static List<String[]> jobs(Path studyDir) {
    Path file = studyDir.resolve(DIR).resolve(JOBS);
    List<String[]> jobs = new ArrayList<>();
    try {
      if (Files.isRegularFile(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String[] parts = line.strip().split("\\s+");
          if (parts.length == 4) {
            jobs.add(parts);
          }
        }
      }
    } catch (IOException e) {
      // no record: nothing to show
    }
    return jobs;
  }
}
