package io.ablate.experiment.report;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * One metric of one variant against the training step, aggregated across seeds: the mean and the
 * min/max envelope. Long histories (train loss is logged every step) are averaged in consecutive
 * step bins first, per seed, so that at most {@code maxPoints} points remain.
 *
 * @param steps x positions (the mean step of each bin)
 * @param seeds how many seeds contributed to each point
 */
public record SeedCurve(double[] steps, double[] mean, double[] min, double[] max, int[] seeds) {

  public int size() {
    return steps.length;
  }

  public boolean isEmpty() {
    return steps.length == 0;
  }

  /** Aggregates {@code series} (one per seed); non-finite values are left out. */
  public static SeedCurve of(List<MetricHistory.Series> series, int maxPoints) {
    TreeSet<Long> union = new TreeSet<>();
    for (MetricHistory.Series s : series) {
      for (int i = 0; i < s.size(); i++) {
        if (Double.isFinite(s.values()[i])) {
          union.add(s.steps()[i]);
        }
      }
    }
    long[] all = union.stream().mapToLong(Long::longValue).toArray();
    if (all.length == 0) {
      return new SeedCurve(new double[0], new double[0], new double[0], new double[0], new int[0]);
    }
    int width = (int) Math.ceil(all.length / (double) Math.max(1, maxPoints));
    int bins = (all.length + width - 1) / width;
    double[] x = new double[bins];
    for (int b = 0; b < bins; b++) {
      int from = b * width;
      int to = Math.min(all.length, from + width);
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += all[i];
      }
      x[b] = sum / (to - from);
    }
    double[] mean = new double[bins];
    double[] min = new double[bins];
    double[] max = new double[bins];
    int[] n = new int[bins];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (MetricHistory.Series s : series) {
      double[] sum = new double[bins];
      int[] count = new int[bins];
      for (int i = 0; i < s.size(); i++) {
        double v = s.values()[i];
        if (Double.isFinite(v)) {
          int b = Arrays.binarySearch(all, s.steps()[i]) / width;
          sum[b] += v;
          count[b]++;
        }
      }
      for (int b = 0; b < bins; b++) {
        if (count[b] > 0) {
          double v = sum[b] / count[b];
          mean[b] += v;
          min[b] = Math.min(min[b], v);
          max[b] = Math.max(max[b], v);
          n[b]++;
        }
      }
    }
    for (int b = 0; b < bins; b++) {
      mean[b] /= n[b];
    }
    return new SeedCurve(x, mean, min, max, n);
  }
}
