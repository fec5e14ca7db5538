package io.ablate.experiment.run;

/**
 * Whether the JVM is shutting down (Ctrl-C, SIGTERM). A run that throws then was interrupted, not
 * broken: it must stay unfinished so that the next run of the study retrains it, instead of being
 * recorded as failed and skipped.
 */
final class Shutdown {
  private static volatile boolean inProgress;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> inProgress = true, "ablate-shutdown-flag"));
  }

  private Shutdown() {}

  static boolean inProgress() {
    return inProgress;
  }

  /** Loads the class (and registers the hook) before training starts. */
  static void watch() {
    // the static initialiser does the work
  }
}
