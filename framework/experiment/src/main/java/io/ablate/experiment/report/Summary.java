package io.ablate.experiment.report;

import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.VariantCost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The statistics of a study across seeds: per variant and metric, mean ± std and 95% CI, the paired
 * difference from the baseline (per seed, since variants of one seed share batches and evaluation
 * items) with its CI, a paired t-test corrected across the metric's comparisons and Cohen's d_z;
 * per metric, a winner only when the best variant beats the runner-up after correction.
 *
 * <p>A failed run (diverged, NaN loss, a component threw) is not dropped: it counts as the worst
 * value of each metric observed anywhere in the study, and its variant's row says how many failed.
 * Runs not finished yet (pending, running) are left out.
 *
 * @param primary the metric the study is judged by (first of {@code metrics:}, else the first evaluated)
 * @param failed runs that failed, with their reasons
 * @param test how variants are compared with the baseline ({@value #TEST})
 * @param correction the multiple-comparison correction ({@value io.ablate.experiment.stats.HolmCorrection#NAME})
 * @param verdicts per metric, the best variant and whether it beats the runner-up
 * @param costs per variant, parameters and FLOPs per token
 * @param tuning with {@code tune:}, the trial each variant was represented by and why
 */
public record Summary(String study, String baseline, String primary, List<String> requested, List<String> variants,
    List<String> metrics, List<VariantStats> stats, List<String> failed, String test, String correction, double alpha,
    List<Verdict> verdicts, Map<String, VariantCost> costs, TrialSelection tuning) {

  /** The comparison with the baseline. */
  public static final String TEST = "paired-t";
  /** Significance level of verdicts and of the tables' marks. */
  public static final double ALPHA = 0.05;

  /** Metrics where smaller is better: as the tasks declare them ({@link MetricDirections}). */
  public static boolean lowerIsBetter(String metric) {
    return MetricDirections.lowerIsBetter(metric);
  }

  public static Summary of(String study, List<String> trialsOrVariants, String baseline, List<String> requested,
      List<RunRecord> allRecords) {
    TrialSelection tuning = TrialSelection.of(trialsOrVariants, requested, allRecords);
    List<String> variants = tuning.variants();
    List<RunRecord> records = tuning.records();
    Map<String, Map<Long, Map<String, Double>>> finished = new LinkedHashMap<>();   // variant → seed → metrics
    Map<String, Set<Long>> failedSeeds = new LinkedHashMap<>();
    Map<String, VariantCost> costs = new LinkedHashMap<>();
    Set<String> metrics = new LinkedHashSet<>();
    List<String> failed = new ArrayList<>();
    for (String v : variants) {
      finished.put(v, new TreeMap<>());
      failedSeeds.put(v, new LinkedHashSet<>());
    }
    for (RunRecord r : records) {
      if (r == null || !finished.containsKey(r.variant())) {
        continue;
      }
      if (r.parameters() > 0) {
        costs.putIfAbsent(r.variant(), new VariantCost(r.parameters(), r.flopsPerToken()));
      }
      if (RunRecord.FAILED.equals(r.status())) {
        failed.add(r.run() + ": " + r.failure());
        failedSeeds.get(r.variant()).add(r.seed());
      } else if (r.finished()) {
        Map<String, Double> kept = new LinkedHashMap<>();
        r.metrics().forEach((name, value) -> {
          if (!name.startsWith("confusion/") && !name.equals("lr") && !name.equals("grad_norm")) {
            metrics.add(name);
            kept.put(name, value);
          }
        });
        finished.get(r.variant()).put(r.seed(), kept);
      }
    }
    List<String> ordered = new ArrayList<>();
    requested.stream().filter(metrics::contains).forEach(ordered::add);
    metrics.stream().filter(m -> !ordered.contains(m)).forEach(ordered::add);
    String primary = ordered.isEmpty() ? "" : ordered.stream()
        .filter(m -> !m.equals("train_loss") && !MetricDirections.diagnostic(m)).findFirst().orElse(ordered.get(0));
    List<VariantStats> stats = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    for (String metric : ordered) {
      MetricComparison comparison = MetricComparison.of(metric, variants, baseline,
          valuesOf(metric, variants, finished, failedSeeds), failedCounts(metric, variants, failedSeeds, finished));
      stats.addAll(comparison.stats());
      verdicts.add(comparison.verdict());
    }
    return new Summary(study, baseline, primary, List.copyOf(requested), variants, ordered, stats, failed, TEST,
        io.ablate.experiment.stats.HolmCorrection.NAME, ALPHA, verdicts, costs, tuning);
  }

  /**
   * Per variant, seed → value of the metric; a failed run gets the worst value of the metric among
   * every finished run of the study (the highest for lower-is-better metrics, else the lowest).
   */
  private static Map<String, Map<Long, Double>> valuesOf(String metric, List<String> variants,
      Map<String, Map<Long, Map<String, Double>>> finished, Map<String, Set<Long>> failedSeeds) {
    boolean lower = lowerIsBetter(metric);
    double worst = finished.values().stream().flatMap(seeds -> seeds.values().stream())
        .map(m -> m.get(metric)).filter(x -> x != null && !Double.isNaN(x)).mapToDouble(Double::doubleValue)
        .reduce(lower ? Math::max : Math::min).orElse(Double.NaN);
    Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
    for (String v : variants) {
      Map<Long, Double> seeds = new TreeMap<>();
      finished.get(v).forEach((seed, m) -> {
        if (m.containsKey(metric)) {
          seeds.put(seed, m.get(metric));
        }
      });
      boolean reports = !seeds.isEmpty() || otherVariantsReport(metric, finished);
      if (reports && !Double.isNaN(worst)) {
        failedSeeds.get(v).forEach(seed -> seeds.put(seed, worst));
      }
      out.put(v, seeds);
    }
    return out;
  }

  private static boolean otherVariantsReport(String metric, Map<String, Map<Long, Map<String, Double>>> finished) {
    return finished.values().stream().anyMatch(seeds -> seeds.values().stream().anyMatch(m -> m.containsKey(metric)));
  }

  private static Map<String, Integer> failedCounts(String metric, List<String> variants,
      Map<String, Set<Long>> failedSeeds, Map<String, Map<Long, Map<String, Double>>> finished) {
    Map<String, Integer> out = new LinkedHashMap<>();
    boolean anywhere = otherVariantsReport(metric, finished);
    variants.forEach(v -> out.put(v, anywhere ? failedSeeds.get(v).size() : 0));
    return out;
  }

  public VariantStats get(String variant, String metric) {
    return stats.stream().filter(s -> s.variant().equals(variant) && s.metric().equals(metric)).findFirst()
        .orElseThrow();
  }

  /** The verdict on a metric. */
  public Verdict verdict(String metric) {
    return verdicts.stream().filter(v -> v.metric().equals(metric)).findFirst().orElseThrow();
  }

  /** Seeds with a value, failed ones included, of a variant (the most over its metrics). */
  public int seeds(String variant) {
    return stats.stream().filter(v -> v.variant().equals(variant)).mapToInt(VariantStats::n).max().orElse(0);
  }

  /** Failed runs of a variant. */
  public int failures(String variant) {
    return stats.stream().filter(v -> v.variant().equals(variant)).mapToInt(VariantStats::failed).max().orElse(0);
  }
}
