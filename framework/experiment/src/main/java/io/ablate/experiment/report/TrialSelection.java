package io.ablate.experiment.report;

import io.ablate.spi.task.Metric;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.Tuning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Picks, for each tuned variant, the trial ({@link Tuning}) with the best mean validation score over
 * seeds, and stands its runs in for the variant. The score is {@code val/<primary>} (the split the
 * tasks hold out for selection; never the test metrics the report shows), or the final
 * {@code train_loss} for tasks without a validation split. A failed trial counts as the worst score
 * of any trial, as in the statistics. Tied scores (e.g. every trial at 0 exact match early on) are
 * broken by {@code val/loss}, then by the order the values are listed in.
 *
 * @param variants the design's variants (trials folded into theirs), and any non-trial rows
 * @param records the chosen trials' runs, relabelled with their variant; other runs unchanged
 * @param selectedOn the metric trials were compared on, or empty when nothing was tuned
 * @param chosen variant → its chosen setting, e.g. {@code lr=0.003}
 * @param trials every trial's score, for the report
 */
public record TrialSelection(@JsonIgnore List<String> variants, @JsonIgnore List<RunRecord> records, String selectedOn,
    Map<String, String> chosen, List<Trial> trials) {

  /**
   * One trial's validation score: the mean over its seeds (failed ones as the worst score).
   *
   * @param tieBreak mean {@code val/loss} (NaN without it), compared only when scores tie
   */
  public record Trial(String variant, String setting, double score, double tieBreak, int seeds, int failed) {}

  private static final String TIE_BREAK = "val/loss";

  public static TrialSelection of(List<String> variants, List<String> requested, List<RunRecord> records) {
    if (variants.stream().noneMatch(Tuning::isTrial)) {
      return new TrialSelection(variants, records, "", Map.of(), List.of());
    }
    String metric = selectionMetric(requested, records);
    boolean lower = Summary.lowerIsBetter(metric);
    double worst = records.stream().filter(r -> r != null && r.finished() && r.metrics().containsKey(metric))
        .mapToDouble(r -> r.metrics().get(metric)).filter(x -> !Double.isNaN(x))
        .reduce(lower ? Math::max : Math::min).orElse(Double.NaN);
    List<Trial> trials = new ArrayList<>();
    Map<String, Trial> best = new LinkedHashMap<>();
    LinkedHashSet<String> folded = new LinkedHashSet<>();
    for (String v : variants) {
      folded.add(Tuning.isTrial(v) ? Tuning.variant(v) : v);
      if (!Tuning.isTrial(v)) {
        continue;
      }
      List<RunRecord> runs = records.stream().filter(r -> r != null && v.equals(r.variant()) && r.done()).toList();
      int failed = (int) runs.stream().filter(r -> !r.finished()).count();
      double score = runs.stream().mapToDouble(r -> r.finished() && r.metrics().containsKey(metric)
          ? r.metrics().get(metric) : worst).average().orElse(Double.NaN);
      double tieBreak = runs.stream().mapToDouble(r -> r.metrics().getOrDefault(TIE_BREAK, Double.POSITIVE_INFINITY))
          .average().orElse(Double.NaN);
      Trial t = new Trial(Tuning.variant(v), Tuning.setting(v), score, tieBreak, runs.size(), failed);
      trials.add(t);
      Trial current = best.get(t.variant());
      if (current == null || Double.isNaN(current.score()) || (!Double.isNaN(score)
          && ((lower ? score < current.score() : score > current.score())
              || (score == current.score() && tieBreak < current.tieBreak())))) {
        best.put(t.variant(), t);
      }
    }
    List<RunRecord> kept = new ArrayList<>();
    for (RunRecord r : records) {
      if (r == null || !Tuning.isTrial(r.variant())) {
        kept.add(r);
      } else {
        Trial chosen = best.get(Tuning.variant(r.variant()));
        if (chosen != null && Tuning.setting(r.variant()).equals(chosen.setting())) {
          kept.add(r.withVariant(chosen.variant()));
        }
      }
    }
    Map<String, String> chosen = new LinkedHashMap<>();
    best.forEach((variant, t) -> chosen.put(variant, t.setting()));
    return new TrialSelection(List.copyOf(folded), kept, metric, chosen, trials);
  }

  /** {@code val/<primary>} when runs report it, else {@code train_loss}. */
  static String selectionMetric(List<String> requested, List<RunRecord> records) {
    List<RunRecord> finished = records.stream().filter(Objects::nonNull).filter(RunRecord::finished).toList();
    String primary = !requested.isEmpty() ? requested.get(0) : finished.stream()
        .flatMap(r -> r.metrics().keySet().stream())
        .filter(m -> !m.equals("train_loss") && !m.startsWith(Metric.VALIDATION) && !m.equals("lr") && !m.equals("grad_norm"))
        .findFirst().orElse("loss");
    String validation = Metric.VALIDATION + primary;
    return finished.stream().anyMatch(r -> r.metrics().containsKey(validation)) ? validation : "train_loss";
  }

}
