package io.ablate.experiment.report;

import io.ablate.experiment.stats.PairedComparison;

/**
 * Which variant is best on one metric, and whether that holds up: the variant with the best mean is
 * the winner only when its paired test against the runner-up (the second-best mean) is significant
 * after the correction, at {@link Summary#ALPHA}.
 *
 * @param best the variant with the best mean, or null when there is none (no values)
 * @param runnerUp the second-best mean, or null with fewer than two variants
 * @param comparison best − runner-up over the seeds both have
 * @param pAdjusted the corrected p of that comparison (it is one of the family's tests)
 * @param winner {@code best} when it is significantly better than {@code runnerUp}, else null
 */
public record Verdict(String metric, String best, String runnerUp, PairedComparison comparison, double pAdjusted,
    String winner) {}
