package io.ablate.experiment.train;

import io.ablate.spi.Default;
import io.ablate.spi.Doc;

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
    double divergeFactor) {

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
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
  }

  /** Optimisers. */
  public enum OptimizerType { ADAMW, ADAM, SGD }

  /** Learning-rate schedules. */
  public enum ScheduleType { CONSTANT, COSINE, INVERSE_SQRT }
}
