package io.ablate.experiment.report;

import io.ablate.experiment.run.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The statistics of a study across seeds: per variant and metric, mean ± std, 95% CI, difference
 * from the baseline and Welch's t-test; the winner of each metric marked.
 *
 * @param primary the metric the study is judged by (first of {@code metrics:}, else the first evaluated)
 * @param failed runs that failed, with their reasons
 */
public record Summary(String study, String baseline, String primary, List<String> requested, List<String> variants,
    List<String> metrics, List<VariantStats> stats, List<String> failed) {

  /** Metrics where smaller is better: as the tasks declare them ({@link MetricDirections}). */
  public static boolean lowerIsBetter(String metric) {
    return MetricDirections.lowerIsBetter(metric);
  }

  public static Summary of(String study, List<String> variants, String baseline, List<String> requested,
      List<RunRecord> records) {
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    Set<String> metrics = new LinkedHashSet<>();
    List<String> failed = new ArrayList<>();
    for (String v : variants) {
      values.put(v, new LinkedHashMap<>());
    }
    for (RunRecord r : records) {
      if (r == null) {
        continue;
      }
      if (!r.finished()) {
        if (RunRecord.FAILED.equals(r.status())) {
          failed.add(r.run() + ": " + r.failure());
        }
        continue;
      }
      r.metrics().forEach((name, value) -> {
        if (!name.startsWith("confusion/") && !name.equals("lr") && !name.equals("grad_norm")) {
          metrics.add(name);
          values.get(r.variant()).computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
      });
    }
    List<String> ordered = new ArrayList<>();
    requested.stream().filter(metrics::contains).forEach(ordered::add);
    metrics.stream().filter(m -> !ordered.contains(m)).forEach(ordered::add);
    String primary = ordered.isEmpty() ? "" : ordered.stream().filter(m -> !m.equals("train_loss")).findFirst()
        .orElse(ordered.get(0));
    List<VariantStats> stats = new ArrayList<>();
    for (String metric : ordered) {
      double[] base = array(values.get(baseline).get(metric));
      double baseMean = base.length == 0 ? Double.NaN : new DescriptiveStatistics(base).getMean();
      String best = null;
      double bestMean = Double.NaN;
      boolean tie = false;
      for (String v : variants) {
        double[] xs = array(values.get(v).get(metric));
        if (xs.length > 0) {
          double m = new DescriptiveStatistics(xs).getMean();
          if (best == null || (lowerIsBetter(metric) ? m < bestMean : m > bestMean)) {
            best = v;
            bestMean = m;
            tie = false;
          } else if (m == bestMean) {
            tie = true;
          }
        }
      }
      if (tie) {
        best = null;                        // no winner when the best value is shared
      }
      for (String v : variants) {
        double[] xs = array(values.get(v).get(metric));
        DescriptiveStatistics d = new DescriptiveStatistics(xs);
        double mean = xs.length == 0 ? Double.NaN : d.getMean();
        double std = xs.length < 2 ? Double.NaN : d.getStandardDeviation();
        double ci = xs.length < 2 ? Double.NaN
            : new TDistribution(xs.length - 1).inverseCumulativeProbability(0.975) * std / Math.sqrt(xs.length);
        double p = v.equals(baseline) || xs.length < 2 || base.length < 2 || (std == 0 && stdOf(base) == 0)
            ? Double.NaN : new TTest().tTest(xs, base);
        stats.add(new VariantStats(v, metric, xs.length, mean, std, ci, mean - baseMean, p, v.equals(best)));
      }
    }
    return new Summary(study, baseline, primary, List.copyOf(requested), variants, ordered, stats, failed);
  }

  public VariantStats get(String variant, String metric) {
    return stats.stream().filter(s -> s.variant().equals(variant) && s.metric().equals(metric)).findFirst()
        .orElseThrow();
  }

  private static double stdOf(double[] xs) {
    return xs.length < 2 ? 0 : new DescriptiveStatistics(xs).getStandardDeviation();
  }

  private static double[] array(List<Double> xs) {
    return xs == null ? new double[0] : xs.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
