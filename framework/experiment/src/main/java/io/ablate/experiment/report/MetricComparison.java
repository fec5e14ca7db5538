package io.ablate.experiment.report;

import io.ablate.experiment.stats.HolmCorrection;
import io.ablate.experiment.stats.PairedComparison;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * The statistics of one metric: each variant's mean ± std and CI, its paired comparison with the
 * baseline, and the verdict. The family corrected together is every variant-vs-baseline test, plus
 * best-vs-runner-up when neither of the two is the baseline (then it is a test of its own).
 */
record MetricComparison(List<VariantStats> stats, Verdict verdict) {

  /**
   * @param values per variant, seed → value (failed runs already counted as the worst value)
   * @param failed per variant, how many of its values stand for failed runs
   */
  static MetricComparison of(String metric, List<String> variants, String baseline,
      Map<String, Map<Long, Double>> values, Map<String, Integer> failed) {
    boolean lower = Summary.lowerIsBetter(metric);
    List<PairedComparison> vsBaseline = new ArrayList<>();
    for (String v : variants) {
      vsBaseline.add(paired(values.get(v), values.get(baseline)));
    }
    List<String> ranked = variants.stream().filter(v -> !values.get(v).isEmpty())
        .sorted(Comparator.comparingDouble((String v) -> (lower ? 1 : -1) * mean(values.get(v)))).toList();
    String best = ranked.isEmpty() ? null : ranked.get(0);
    String runnerUp = ranked.size() < 2 ? null : ranked.get(1);
    PairedComparison head = best == null || runnerUp == null ? null : paired(values.get(best), values.get(runnerUp));
    boolean ownTest = head != null && !best.equals(baseline) && !runnerUp.equals(baseline);

    double[] family = new double[variants.size() + 1];
    for (int i = 0; i < variants.size(); i++) {
      family[i] = variants.get(i).equals(baseline) ? Double.NaN : vsBaseline.get(i).pValue();
    }
    family[variants.size()] = ownTest ? head.pValue() : Double.NaN;
    double[] adjusted = HolmCorrection.adjust(family);

    double headAdjusted = Double.NaN;
    if (head != null) {
      headAdjusted = ownTest ? adjusted[variants.size()]
          : adjusted[variants.indexOf(best.equals(baseline) ? runnerUp : best)];
    }
    boolean better = head != null && (lower ? head.meanDiff() < 0 : head.meanDiff() > 0);
    String winner = better && headAdjusted < Summary.ALPHA && !MetricDirections.diagnostic(metric) ? best : null;

    List<VariantStats> stats = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      String v = variants.get(i);
      double[] xs = values.get(v).values().stream().mapToDouble(Double::doubleValue).toArray();
      DescriptiveStatistics d = new DescriptiveStatistics(xs);
      double mean = xs.length == 0 ? Double.NaN : d.getMean();
      double std = xs.length < 2 ? Double.NaN : d.getStandardDeviation();
      double ci = xs.length < 2 ? Double.NaN
          : new TDistribution(xs.length - 1).inverseCumulativeProbability(0.975) * std / Math.sqrt(xs.length);
      PairedComparison c = vsBaseline.get(i);
      boolean isBaseline = v.equals(baseline);
      stats.add(new VariantStats(v, metric, xs.length, failed.getOrDefault(v, 0), mean, std, ci, c.n(),
          isBaseline ? 0 : c.meanDiff(), isBaseline ? Double.NaN : c.ci95(), isBaseline ? Double.NaN : c.pValue(),
          adjusted[i], isBaseline ? Double.NaN : c.effectSize(), v.equals(winner)));
    }
    return new MetricComparison(stats, new Verdict(metric, best, runnerUp, head, headAdjusted, winner));
  }

  /** a − b over the seeds both have. */
  static PairedComparison paired(Map<Long, Double> a, Map<Long, Double> b) {
    Set<Long> common = new TreeSet<>(a.keySet());
    common.retainAll(b.keySet());
    double[] xa = common.stream().mapToDouble(a::get).toArray();
    double[] xb = common.stream().mapToDouble(b::get).toArray();
    return PairedComparison.of(xa, xb);
  }

  private static double mean(Map<Long, Double> xs) {
    return xs.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
