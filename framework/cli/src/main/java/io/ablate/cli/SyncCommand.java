package io.ablate.cli;

import io.ablate.experiment.track.StudyTracking;
import io.ablate.tracking.Tracker;
import io.ablate.tracking.TrackingStore;
import io.ablate.tracking.TrackingUri;
import io.ablate.tracking.Outbox;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ablate sync STUDY_DIR… --tracking-uri URI}: delivers studies' outboxes to a tracking store
 * (a server that was away, or a server the study never saw), with no duplicates: each destination
 * keeps its own progress, and runs it already has are found by their key tag.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Send studies' logged runs (their tracking outbox) to a tracking store, e.g. a server that was down.")
public final class SyncCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "STUDY_DIR", description = "A study's results folder, e.g. results/quickstart.")
  List<Path> studies;

  @Option(names = "--tracking-uri", paramLabel = "URI",
      description = "Where to send them (default: MLFLOW_TRACKING_URI, else ./mlruns).")
  String uri;

  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to keep retrying an unreachable store before giving up (default ${DEFAULT-VALUE}).")
  long waitSeconds;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String resolved = TrackingUri.resolve(uri);
    if (resolved.equals(TrackingUri.DEFAULT)) {
      resolved = TrackingOptions.defaultStore().toString();
    }
    TrackingStore store = TrackingUri.open(resolved)
        .orElseThrow(() -> new IllegalArgumentException("--tracking-uri none: nothing to sync to"));
    PrintWriter out = spec.commandLine().getOut();
    int left = 0;
    try (store) {
      for (Path study : studies) {
        Path outbox = study.resolve(StudyTracking.DIR);
        if (!Files.isRegularFile(outbox.resolve(Outbox.FILE))) {
          throw new IllegalArgumentException("no tracking outbox in " + study + " (expected " + outbox.resolve(Outbox.FILE)
              + "; run the study with `ablate run` first)");
        }
        long pending = Tracker.sync(outbox, store, Duration.ofSeconds(waitSeconds));
        if (pending == 0) {
          out.printf("%s: delivered to %s%n", study, store.describe());
        } else {
          out.printf("%s: %d KB still undelivered to %s (unreachable); run sync again later%n", study,
              Math.max(1, pending / 1024), store.describe());
          left++;
        }
      }
    }
    out.flush();
    return left == 0 ? 0 : 1;
  }
}
