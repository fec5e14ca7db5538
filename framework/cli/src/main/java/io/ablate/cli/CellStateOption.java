package io.ablate.cli;

import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.track.MlflowCells;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --state results|mlflow}: where a cluster's cells keep their done state. {@code results} (the
 * default): the results folder, which every node shares. {@code mlflow}: the tracking server, for
 * clusters without a shared folder; each node trains in its own scratch folder, uploads the results as
 * artifacts, and the cell's FINISHED MLflow run is its done marker.
 */
public final class CellStateOption {
  /** Where the done state lives. */
  public enum State { results, mlflow }

  @Option(names = "--state", paramLabel = "WHERE", defaultValue = "results", description = "Where cells' done state "
      + "lives: results (the shared results folder, default) or mlflow (the tracking server given by --tracking-uri "
      + "http://…; no shared folder needed: results go to MLflow artifacts and the FINISHED run is the done marker). "
      + "See docs/cluster.md.")
  State state;

  boolean mlflow() {
    return state == State.mlflow;
  }

  /** The study's cells on the tracking server (the command line's, else the spec's). */
  static MlflowCells cells(StudyPlan plan, TrackingOptions tracking) {
    return MlflowCells.open(plan, CellCommandLine.trackingUri(tracking, plan), experiment(plan, tracking));
  }

  static String experiment(StudyPlan plan, TrackingOptions tracking) {
    return tracking.experiment != null ? tracking.experiment
        : plan.spec().tracking().experiment() != null ? plan.spec().tracking().experiment() : plan.spec().study();
  }

  /**
   * A cell's folder when no results folder is shared and none was given: node-local, under {@code $TMPDIR}
   * (which many Slurm sites point at a job's local scratch), else the JVM's temp folder.
   */
  static Path scratch() {
    String tmp = System.getenv("TMPDIR");
    return Path.of(tmp != null && !tmp.isBlank() ? tmp : System.getProperty("java.io.tmpdir"),
        "ablate-cells-" + System.getProperty("user.name", "user"));
  }
}
