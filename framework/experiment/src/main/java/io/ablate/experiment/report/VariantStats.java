package io.ablate.experiment.report;

/**
 * One metric of one variant across seeds.
 *
 * @param n seeds with a value
 * @param ci95 half-width of the 95% confidence interval of the mean (Student t), NaN for n &lt; 2
 * @param diff mean minus the baseline's mean (0 for the baseline)
 * @param pValue Welch's two-sided t-test against the baseline, NaN when either has n &lt; 2
 */
public record VariantStats(String variant, String metric, int n, double mean, double std, double ci95, double diff,
    double pValue, boolean winner) {}
