package io.ablate.experiment.train;

import io.ablate.tensor.optim.Adam;
import io.ablate.tensor.optim.LrSchedule;
import io.ablate.tensor.optim.Optimizer;
import io.ablate.tensor.optim.ParameterSet;
import io.ablate.tensor.optim.Sgd;

/** The optimiser and schedule a {@link TrainConfig} asks for. */
public final class Optimizers {
  private Optimizers() {}

  public static Optimizer create(TrainConfig config, ParameterSet params) {
    return switch (config.optimizer()) {
      case ADAMW -> new Adam(params, 0.9, 0.999, 1e-8, config.weightDecay(), true);
      case ADAM -> new Adam(params, 0.9, 0.999, 1e-8, config.weightDecay(), false);
      case SGD -> new Sgd(params, config.momentum(), config.weightDecay());
    };
  }

  public static LrSchedule schedule(TrainConfig config) {
    return switch (config.schedule()) {
      case CONSTANT -> config.warmup() == 0 ? LrSchedule.constant(config.lr())
          : step -> config.lr() * Math.min(1.0, (double) step / config.warmup());
      case COSINE -> LrSchedule.warmupCosine(config.lr(), config.warmup(), config.steps(), 0.1 * config.lr());
      case INVERSE_SQRT -> LrSchedule.inverseSqrt(config.lr(), Math.max(1, config.warmup()));
    };
  }
}
