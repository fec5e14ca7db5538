package io.ablate.tensor.optim;

/** Learning rate as a function of the 1-based step number. */
@FunctionalInterface
public interface LrSchedule {
  double at(long step);

  static LrSchedule constant(double lr) {
    return step -> lr;
  }

  /**
   * Linear warmup from 0 to {@code peak} over {@code warmup} steps, then cosine decay to
   * {@code floor} at {@code total} steps (and {@code floor} after).
   */
  static LrSchedule warmupCosine(double peak, long warmup, long total, double floor) {
    if (total <= warmup) {
      throw new IllegalArgumentException("total steps (" + total + ") must exceed warmup (" + warmup + ")");
    }
    return step -> {
      if (step <= warmup) {
        return peak * step / Math.max(1, warmup);
      }
      double progress = Math.min(1.0, (double) (step - warmup) / (total - warmup));
      return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
    };
  }

  /**
   * Inverse square root ("Noam", Vaswani et al. 2017): linear warmup to {@code peak} at step
   * {@code warmup}, then {@code peak·√(warmup/step)}.
   */
  static LrSchedule inverseSqrt(double peak, long warmup) {
    return step -> peak * Math.min((double) step / warmup, Math.sqrt((double) warmup / step));
  }

  /** The original Noam rate {@code factor · d_model^-½ · min(step^-½, step · warmup^-1.5)}. */
  static LrSchedule noam(int dModel, long warmup, double factor) {
    return inverseSqrt(factor / Math.sqrt(dModel) / Math.sqrt(warmup), warmup);
  }
}
