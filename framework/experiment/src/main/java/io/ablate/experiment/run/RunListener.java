package io.ablate.experiment.run;

import java.util.Map;

/** Hears a run's progress: progress bars, trackers. Called from the run's thread. */
public interface RunListener {
  default void started(RunSpec run, int totalSteps) {}

  /** After each optimisation step. */
  default void step(RunSpec run, int step, double loss, double tokensPerSecond) {}

  /** After each evaluation, with every metric of it. */
  default void evaluated(RunSpec run, int step, Map<String, Double> metrics) {}

  /** When the run has finished or failed; {@code record} is what was stored. */
  default void ended(RunSpec run, RunRecord record) {}

  RunListener NONE = new RunListener() {};
}
