package io.ablate.cli;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.ReportWriter;
import io.ablate.experiment.report.StudyInfo;
import io.ablate.experiment.report.SummaryWriter;
import io.ablate.experiment.run.LinearBaseline;
import io.ablate.experiment.run.RunListener;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.run.StudyRunner;
import io.ablate.experiment.run.StudyValidator;
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

  @Option(names = "--quiet", description = "No progress bars.")
  boolean quiet;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (executor.remote()) {
      return ClusterRun.run(executor, study, pluginPath, tracking, spec.commandLine().getOut());
    }
    Registry registry = Wiring.registry(pluginPath.directories());
    StudySpec s = SpecLoader.load(study.spec, study.sets);
    StudyPlan plan = StudyPlan.of(s, study.resultsRoot());
    StudyValidator.validate(s, plan.variants(), registry);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("study %s: %d variants × %d seeds = %d runs → %s%n", s.study(), plan.variants().size(),
        s.seeds().size(), plan.runs().size(), plan.dir());
    out.flush();
    StudyInfo.write(plan);                    // lets `ablate report` rebuild results/<study>/ without the spec
    StudyTracking tracker = StudyTracking.open(plan, tracking.uri, tracking.experiment,
        TrackingOptions.defaultStore()).orElse(null);
    if (tracker != null) {
      out.printf("tracking: experiment '%s' in %s%n", tracker.experiment(), tracker.destination());
      out.flush();
    }
    List<StudyRunner.Outcome> outcomes;
    try (Progress progress = quiet ? null : new Progress(plan.runs().size(), workers)) {
      RunListener listener = progress == null ? RunListener.NONE : progress;
      if (tracker != null) {
        listener = RunListener.both(listener, tracker);
      }
      outcomes = new StudyRunner(registry, workers).run(plan, listener);
    }
    long skipped = outcomes.stream().filter(StudyRunner.Outcome::skipped).count();
    long failed = outcomes.stream().filter(o -> o.record() != null && RunRecord.FAILED.equals(o.record().status()))
        .count();
    boolean linear = LinearBaseline.runAndStore(plan, registry);   // classification tasks: Tribuo bag-of-tokens row
    ReportWriter.Report report = linear ? ReportWriter.write(plan.dir()) : ReportWriter.write(plan);
    out.println();
    out.println(SummaryWriter.markdown(report.summary()));
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

  /** A study bar and, with one worker, a bar for the current run. */
  private static final class Progress implements RunListener, AutoCloseable {
    private final me.tongfei.progressbar.ProgressBar studyBar;
    private final boolean perRun;
    private me.tongfei.progressbar.ProgressBar runBar;

    Progress(int runs, int workers) {
      this.studyBar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("study").setInitialMax(runs)
          .setUpdateIntervalMillis(500).build();
      this.perRun = workers == 1;
    }

    @Override
    public synchronized void started(RunSpec run, int totalSteps) {
      if (perRun) {
        runBar = new me.tongfei.progressbar.ProgressBarBuilder().setTaskName(shorten(run.id())).setInitialMax(totalSteps)
            .setUpdateIntervalMillis(500).build();
      }
    }

    @Override
    public synchronized void step(RunSpec run, int step, double loss, double tokensPerSecond) {
      if (runBar != null) {
        runBar.stepTo(step);
        runBar.setExtraMessage(String.format(java.util.Locale.ROOT, "loss %.3f · %.0f tok/s", loss, tokensPerSecond));
      }
    }

    @Override
    public synchronized void ended(RunSpec run, RunRecord record) {
      if (runBar != null) {
        runBar.close();
        runBar = null;
      }
      studyBar.step();
      studyBar.setExtraMessage(run.id() + " " + (record == null ? "" : record.status()));
    }

    @Override
    public synchronized void close() {
      if (runBar != null) {
        runBar.close();
      }
      studyBar.close();
    }

    private static String shorten(String id) {
      return id.length() <= 40 ? id : id.substring(0, 37) + "...";
    }
  }
}
