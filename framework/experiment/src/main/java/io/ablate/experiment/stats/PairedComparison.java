package io.ablate.experiment.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * A paired comparison of two variants over the seeds both ran: variants of one seed share their
 * training batches and evaluation items, so the per-seed differences Δ = a − b are the unit of
 * analysis (a paired t-test, as {@code scipy.stats.ttest_rel}).
 *
 * @param n pairs (seeds with a value for both)
 * @param meanDiff mean of Δ
 * @param sdDiff sample standard deviation of Δ (n − 1), NaN for n &lt; 2
 * @param ci95 half-width of the 95% confidence interval of the mean Δ, t(0.975, n − 1)·sd/√n; NaN for n &lt; 2
 * @param pValue two-sided paired t-test p; NaN for n &lt; {@value #MIN_PAIRS}. When every Δ is the same
 *     the test is degenerate: p = 1 if they are all 0, else 0
 * @param effectSize Cohen's d_z = mean Δ / sd Δ (±∞ when every Δ is the same non-zero value); NaN for n &lt; 2
 */
public record PairedComparison(int n, double meanDiff, double sdDiff, double ci95, double pValue, double effectSize) {
  /** Fewer pairs than this get no p-value: with two seeds a t-test has one degree of freedom. */
  public static final int MIN_PAIRS = 3;

  public static PairedComparison of(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired samples differ in size: " + a.length + " vs " + b.length);
    }
    int n = a.length;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = a[i] - b[i];
    }
    if (n == 0) {
      return new PairedComparison(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    DescriptiveStatistics stats = new DescriptiveStatistics(d);
    double mean = stats.getMean();
    if (n < 2) {
      return new PairedComparison(n, mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double sd = stats.getStandardDeviation();
    double se = sd / Math.sqrt(n);
    TDistribution t = new TDistribution(n - 1);
    double ci = t.inverseCumulativeProbability(0.975) * se;
    double effect = sd == 0 ? (mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean)) : mean / sd;
    double p = Double.NaN;
    if (n >= MIN_PAIRS) {
      p = sd == 0 ? (mean == 0 ? 1 : 0) : 2 * t.cumulativeProbability(-Math.abs(mean / se));
    }
    return new PairedComparison(n, mean, sd, ci, p, effect);
  }
}
