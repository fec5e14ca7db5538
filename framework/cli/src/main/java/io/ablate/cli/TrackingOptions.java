package io.ablate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where runs are logged: {@code --tracking-uri} and {@code --experiment}. */
public final class TrackingOptions {
  @Option(names = "--tracking-uri", paramLabel = "URI", description = "MLflow tracking URI: http(s)://host:port (a "
      + "tracking server), a folder or file: URI (a local MLflow file store), or 'none'. Default: the spec's "
      + "tracking.uri, else MLFLOW_TRACKING_URI, else ./mlruns.")
  String uri;

  @Option(names = "--experiment", paramLabel = "NAME",
      description = "MLflow experiment name (default: the spec's tracking.experiment, else the study's name).")
  String experiment;

  @Option(names = "--tracking-wait", paramLabel = "SECONDS", defaultValue = "30",
      description = "At the end, how long to wait for an unreachable tracking server before leaving the rest in the "
          + "study's outbox for the next run or `ablate sync` (default ${DEFAULT-VALUE}).")
  long waitSeconds;

  /** {@code mlruns/} next to the launcher, MLflow's default place, when nothing else is set. */
  static Path defaultStore() {
    String home = System.getProperty("ablate.home");
    return home == null ? Path.of("mlruns") : Path.of(home, "mlruns");
  }
}
