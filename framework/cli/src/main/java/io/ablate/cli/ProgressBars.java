package io.ablate.cli;

import io.ablate.experiment.run.RunListener;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** On a terminal: a study bar and, with one worker, a bar for the current run (redrawn in place). */
final class ProgressBars implements RunListener, AutoCloseable {
  private final ProgressBar studyBar;
  private final boolean perRun;
  private final ProgressBarStyle style;
  private ProgressBar runBar;

  ProgressBars(int runs, int workers, boolean colour) {
    this.style = colour ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK;
    this.studyBar = new ProgressBarBuilder().setTaskName("study").setInitialMax(runs).setStyle(style)
        .setUpdateIntervalMillis(500).build();
    this.perRun = workers == 1;
  }

  @Override
  public synchronized void started(RunSpec run, int totalSteps) {
    if (perRun) {
      runBar = new ProgressBarBuilder().setTaskName(shorten(run.id())).setInitialMax(totalSteps).setStyle(style)
          .setUpdateIntervalMillis(500).build();
    }
  }

  @Override
  public synchronized void step(RunSpec run, int step, double loss, double tokensPerSecond) {
    if (runBar != null) {
      runBar.stepTo(step);
      runBar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f · %.0f tok/s", loss, tokensPerSecond));
    }
  }

  @Override
  public synchronized void ended(RunSpec run, RunRecord record) {
    if (runBar != null) {
      runBar.close();
      runBar = null;
    }
    studyBar.step();
    studyBar.setExtraMessage(run.id() + " " + (record == null ? "" : RunRecord.label(record.status())));
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
