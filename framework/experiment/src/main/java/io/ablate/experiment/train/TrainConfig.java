package io.ablate.experiment.train;

import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.task.Metric;

/** The {@code train:} section of a study: optimisation, evaluation and checkpoint settings. */
public record TrainConfig(
    @Doc("optimisation steps") @Default("1000") int steps,
    @Doc("sequences (or images) per batch") @Default("32") int batch,
    @Doc("adamw, adam or sgd") @Default("adamw") OptimizerType optimizer,
    @Doc("peak learning rate") @Default("1e-3") double lr,
    @Doc("decoupled weight decay (adamw) or L2 (adam, sgd); not applied to biases and gains")
    @Default("0.01") double weightDecay,
    @Doc("momentum for sgd") @Default("0.9") double momentum,
    @Doc("learning-rate schedule: constant, cosine (warmup then cosine to 10% of lr) or inverse_sqrt")
    @Default("cosine") ScheduleType schedule,
    @Doc("warmup steps") @Default("0") int warmup,
    @Doc("clip the global gradient norm to this (0 = off)") @Default("1.0") double clip,
    @Doc("evaluate every this many steps (and at the end)") @Default("250") int evalEvery,
    @Doc("stop as diverged when the loss exceeds this multiple of its first value") @Default("10.0")
    double divergeFactor,
    @Doc("which evaluation the run reports: last, or best = the evaluation with the best validation value of "
        + "select_on (test metrics from that step; the chosen step is recorded as selected_step)")
    @Default("last") Selection select,
    @Doc("with select: best, the validation metric compared (val/…); default val/<first of the study's metrics:>, "
        + "else val/<the task's first metric>")
    @Default(Default.NULL) String selectOn) {

  public TrainConfig {
    positive("steps", steps);
    positive("batch", batch);
    positive("eval_every", evalEvery);
    if (lr <= 0) {
      throw new IllegalArgumentException("lr must be positive, got " + lr);
    }
    if (warmup < 0 || warmup >= steps) {
      throw new IllegalArgumentException("warmup must be in [0, steps), got " + warmup);
    }
    if (selectOn != null && !selectOn.startsWith(Metric.VALIDATION)) {
      throw new IllegalArgumentException("select_on must be a validation metric (" + Metric.VALIDATION
          + "…), got '" + selectOn + "': choosing the step on test items would report a biased test score");
    }
    if (selectOn != null && select != Selection.BEST) {
      throw new IllegalArgumentException("select_on is only read with select: best");
    }
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
  }

  /** Optimisers. */
  public enum OptimizerType { ADAMW, ADAM, SGD }

  /** Which evaluation a run's final metrics come from. */
  public enum Selection { LAST, BEST }

  /** Learning-rate schedules. */
  public enum ScheduleType { CONSTANT, COSINE, INVERSE_SQRT }
}
