package io.ablate.experiment.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction of a family of p-values (Holm 1979), as statsmodels'
 * {@code multipletests(method="holm")}: sorted ascending, the i-th smallest (0-based) is multiplied
 * by m − i, capped at 1, and made monotone. It controls the family-wise error rate like Bonferroni
 * and rejects at least as much. NaN entries (comparisons without a test) are not part of the family.
 */
public final class HolmCorrection {
  /** How tables name the method. */
  public static final String NAME = "holm";

  private HolmCorrection() {}

  /** Adjusted p-values, in the order given; NaN where the input is NaN. */
  public static double[] adjust(double[] p) {
    Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
        .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
    double[] out = new double[p.length];
    Arrays.fill(out, Double.NaN);
    int m = order.length;
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      running = Math.max(running, Math.min(1, (m - rank) * p[order[rank]]));
      out[order[rank]] = running;
    }
    return out;
  }
}
