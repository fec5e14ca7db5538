package io.ablate.experiment.run;

import java.util.Map;

/** Hears a run's progress: progress bars, trackers. Called from the run's thread. */
public interface RunListener {
  default void started(RunSpec run, int totalSteps) {}

  /** After each optimisation step. */
  default void step(RunSpec run, int step, double loss, double tokensPerSecond) {}

  /** Every metric value the run logs (training loss each step, evaluation metrics, …). */
  default void metric(RunSpec run, long step, String name, double value) {}

  /** After each evaluation, with every metric of it. */
  default void evaluated(RunSpec run, int step, Map<String, Double> metrics) {}

  /** When the run has finished or failed; {@code record} is what was stored. */
  default void ended(RunSpec run, RunRecord record) {}

  RunListener NONE = new RunListener() {};

  /** Both listeners, {@code first} first. */
  static RunListener both(RunListener first, RunListener second) {
    return new RunListener() {
      @Override
      public void started(RunSpec run, int totalSteps) {
        first.started(run, totalSteps);
        second.started(run, totalSteps);
      }

      @Override
      public void step(RunSpec run, int step, double loss, double tokensPerSecond) {
        first.step(run, step, loss, tokensPerSecond);
        second.step(run, step, loss, tokensPerSecond);
      }

      @Override
      public void metric(RunSpec run, long step, String name, double value) {
        first.metric(run, step, name, value);
        second.metric(run, step, name, value);
      }

      @Override
      public void evaluated(RunSpec run, int step, Map<String, Double> metrics) {
        first.evaluated(run, step, metrics);
        second.evaluated(run, step, metrics);
      }

      @Override
      public void ended(RunSpec run, RunRecord record) {
        first.ended(run, record);
        second.ended(run, record);
      }
    };
  }
}
