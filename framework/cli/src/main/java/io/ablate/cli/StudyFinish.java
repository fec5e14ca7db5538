package io.ablate.cli;

import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.ReportWriter;
import io.ablate.experiment.report.SummaryWriter;
import io.ablate.experiment.run.Cells;
import io.ablate.experiment.run.LinearBaseline;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.track.MlflowCells;
import io.ablate.experiment.track.StudyTracking;
import io.ablate.tracking.Outbox;
import io.ablate.tracking.Tracker;
import io.ablate.tracking.TrackingStore;
import io.ablate.tracking.TrackingUri;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a study whose cells ran elsewhere (Slurm, Spark): what each cell's process could not
 * deliver to tracking is delivered, the summary and report are written as {@code ablate run} writes
 * them, and the variants' parent runs get their statistics and are finished. Trains no cell.
 */
final class StudyFinish {
  private StudyFinish() {}

  /** The cells not done yet (neither finished nor failed), in plan order. */
  static List<RunSpec> unfinished(StudyPlan plan) {
    return plan.runs().stream().filter(r -> Cells.done(plan.directory(r)).isEmpty()).toList();
  }

  /**
   * With {@code --state mlflow}: the run folders of the cells done on the tracking server, downloaded into
   * this machine's results folder, so that the summary and report are written as for a shared folder.
   */
  static void download(StudyPlan plan, TrackingOptions tracking, PrintWriter out) {
    int n = 0;
    try (MlflowCells server = CellStateOption.cells(plan, tracking)) {
      for (RunSpec run : plan.runs()) {
        if (Cells.done(plan.directory(run)).isEmpty() && server.download(run)) {
          n++;
        }
      }
      out.printf("mlflow: %d done cell(s) downloaded from %s into %s%n", n, server.describe(), plan.dir());
      out.flush();
    } catch (io.ablate.tracking.TrackingException e) {
      throw new IllegalArgumentException("--state mlflow: cannot read the cells from "
          + CellCommandLine.trackingUri(tracking, plan) + " (" + e.getMessage() + ")");
    }
  }

  /** @return the number of cells not done */
  static int finish(StudyPlan plan, Registry registry, TrackingOptions tracking, PrintWriter out) throws IOException {
    String uri = CellCommandLine.trackingUri(tracking, plan);
    deliverCells(plan, uri, tracking.waitSeconds, out);
    boolean linear = LinearBaseline.runAndStore(plan, registry);
    ReportWriter.Report report = linear ? ReportWriter.write(plan.dir()) : ReportWriter.write(plan);
    out.println();
    out.println(SummaryWriter.markdown(report.summary()));
    List<RunSpec> left = unfinished(plan);
    long failed = plan.runs().stream().filter(r -> Cells.done(plan.directory(r)).filter(x -> !x.finished())
        .isPresent()).count();
    out.printf("%d of %d cells done (%d failed), %d not done. Results: %s (open %s)%n",
        plan.runs().size() - left.size(), plan.runs().size(), failed, left.size(), plan.dir(),
        report.html().getFileName());
    out.flush();
    StudyTracking tracker = StudyTracking.open(plan, uri, tracking.experiment, null).orElse(null);
    if (tracker != null) {
      List<Path> files = new ArrayList<>(report.files());
      files.add(report.html());
      tracker.finish(report.summary(), files);
      boolean delivered = tracker.close(Duration.ofSeconds(tracking.waitSeconds));
      out.printf(delivered ? "tracking: all runs logged to %s%n"
          : "tracking: %s is not reachable; events are kept in %s and sent by `ablate finish` or `ablate sync`%n",
          tracker.destination(), plan.dir().resolve(StudyTracking.DIR));
      out.flush();
    }
    return left.size();
  }

  /** Delivers every cell's outbox (events a cell could not deliver before it ended). */
  private static void deliverCells(StudyPlan plan, String uri, long waitSeconds, PrintWriter out) {
    if (uri.equalsIgnoreCase(TrackingUri.NONE)) {
      return;
    }
    List<Path> outboxes = new ArrayList<>();
    for (RunSpec run : plan.runs()) {
      Path dir = StudyTracking.cellOutbox(plan, run);
      if (Files.isRegularFile(dir.resolve(Outbox.FILE))) {
        outboxes.add(dir);
      }
    }
    if (outboxes.isEmpty()) {
      return;
    }
    try (TrackingStore store = TrackingUri.open(uri).orElseThrow()) {
      for (Path dir : outboxes) {
        long left = Tracker.sync(dir, store, Duration.ofSeconds(waitSeconds));
        if (left > 0) {
          out.printf("tracking: %d KB of %s still undelivered to %s; run `ablate finish` again later%n",
              Math.max(1, left / 1024), dir, store.describe());
        }
      }
    }
  }
}
