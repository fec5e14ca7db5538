package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.ReportWriter;
import io.ablate.experiment.report.StudyInfo;
import io.ablate.experiment.run.LinearBaseline;
import io.ablate.experiment.run.Provenance;
import io.ablate.experiment.run.RunListener;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.run.StudyRunner;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.track.StudyTracking;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ablate run SPEC}: trains every variant × seed not yet done, then writes and prints the summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Train every variant × seed of a study (skipping finished runs) and write results/<study>/.")
public final class RunCommand implements Callable<Integer> {
  @Mixin
  StudyOptions study;

  @Mixin
  PluginPathOption pluginPath;

  @Mixin
  TrackingOptions tracking;

  @Mixin
  ExecutorOptions executor;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "Runs trained in parallel.")
  int workers;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Threads per run for ND4J and "
      + "BLAS. Default: chosen per model, one for small models (faster) and otherwise the cores divided by --workers.")
  int threads;

  @Option(names = "--rerun-stale", description = "Train again the finished runs that other code (another git "
      + "commit, or uncommitted changes) trained; `plan` marks them stale.")
  boolean rerunStale;

  @Option(names = "--quiet", description = "No progress bars and no per-run lines: only the summary.")
  boolean quiet;

  @Mixin
  CellStateOption state;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (executor.remote()) {
      return ClusterRun.run(executor, state, study, pluginPath, tracking, spec.commandLine().getOut());
    }
    if (state.mlflow()) {
      throw new IllegalArgumentException("--state mlflow: only with --executor slurm or spark (a local run keeps its "
          + "state in the results folder)");
    }
    Registry registry = Wiring.registry(pluginPath.directories());
    StudySpec s = SpecLoader.load(study.spec, study.sets);
    StudyPlan plan = study.plan(s, registry);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("study %s: %d variants × %d seeds = %d runs → %s%n", s.study(), plan.variants().size(),
        s.seeds().size(), plan.runs().size(), plan.dir());
    long stale = plan.runs().stream().filter(r -> plan.directory(r).read().filter(Provenance::stale).isPresent())
        .count();
    if (stale > 0) {
      out.printf(rerunStale ? "%d finished runs were trained by other code than %s: training them again%n"
          : "%d finished runs were trained by other code than %s; kept (`--rerun-stale` trains them again)%n",
          stale, Provenance.current().shortForm());
    }
    out.flush();
    StudyInfo.write(plan);                    // lets `ablate report` rebuild results/<study>/ without the spec
    StudyTracking tracker = StudyTracking.open(plan, tracking.uri, tracking.experiment,
        TrackingOptions.defaultStore()).orElse(null);
    if (tracker != null) {
      out.printf("tracking: experiment '%s' in %s%n", tracker.experiment(), tracker.destination());
      out.flush();
    }
    List<StudyRunner.Outcome> outcomes;
    // A terminal gets progress bars; a pipe or a file (nohup, Slurm, CI) one plain line per evaluation and run.
    boolean bars = !quiet && Terminal.interactive();
    try (ProgressBars progress = bars ? new ProgressBars(plan.runs().size(), workers, Terminal.colour()) : null) {
      RunListener listener = bars ? progress
          : quiet ? RunListener.NONE : new RunLines(out, s.metrics(), plan.runs().size());
      if (tracker != null) {
        listener = RunListener.both(listener, tracker);
      }
      outcomes = new StudyRunner(registry, workers).threadsPerRun(threads).rerunStale(rerunStale)
          .run(plan, listener);
    }
    long skipped = outcomes.stream().filter(StudyRunner.Outcome::skipped).count();
    long failed = outcomes.stream().filter(o -> o.record() != null && RunRecord.FAILED.equals(o.record().status()))
        .count();
    boolean linear = LinearBaseline.runAndStore(plan, registry);   // classification tasks: Tribuo bag-of-tokens row
    ReportWriter.Report report = linear ? ReportWriter.write(plan.dir()) : ReportWriter.write(plan);
    out.println();
    out.print(SummaryTable.render(report.summary()));
    out.printf("%d runs trained, %d already done, %d failed. Results: %s (open %s)%n", outcomes.size() - skipped,
        skipped, failed, plan.dir(), report.html().getFileName());
    out.flush();
    if (tracker != null) {
      List<java.nio.file.Path> files = new java.util.ArrayList<>(report.files());
      files.add(report.html());
      tracker.finish(report.summary(), files);
      boolean delivered = tracker.close(java.time.Duration.ofSeconds(tracking.waitSeconds));
      out.printf(delivered ? "tracking: all runs logged to %s%n"
          : "tracking: %s is not reachable; events are kept in %s and sent by the next run or `ablate sync`%n",
          tracker.destination(), plan.dir().resolve(StudyTracking.DIR));
      out.flush();
    }
    return 0;
  }
}
