package io.ablate.experiment.report;

/**
 * One metric of one variant across seeds, and its paired comparison with the baseline.
 *
 * @param n seeds with a value, failed runs included (they count as the metric's worst observed value)
 * @param failed how many of the n runs failed (diverged, NaN, or a component threw)
 * @param ci95 half-width of the 95% confidence interval of the mean (Student t), NaN for n &lt; 2
 * @param pairs seeds that both this variant and the baseline have
 * @param diff mean over those seeds of (this − baseline); 0 for the baseline
 * @param diffCi95 half-width of the paired 95% CI of {@code diff}, NaN for fewer than 2 pairs
 * @param pValue two-sided paired t-test against the baseline, uncorrected; NaN below 3 pairs
 * @param pAdjusted {@code pValue} after the study's correction across the comparisons of this metric
 *     ({@link Summary#correction()}); what significance is judged on
 * @param effectSize Cohen's d_z of the paired differences (mean Δ / sd Δ); NaN below 2 pairs
 * @param winner beats the runner-up on this metric after correction (see {@link Verdict})
 */
public record VariantStats(String variant, String metric, int n, int failed, double mean, double std, double ci95,
    int pairs, double diff, double diffCi95, double pValue, double pAdjusted, double effectSize, boolean winner) {}
