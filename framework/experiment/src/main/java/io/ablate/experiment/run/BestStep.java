package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.experiment.report.MetricDirections;
import io.ablate.experiment.train.TrainConfig;
import io.ablate.spi.task.Metric;
import io.ablate.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code train: {select: best}}: the run reports the evaluation with the best validation value of
 * {@code select_on} ({@code val/<primary>}), not the last one. Only the validation split is compared,
 * so the test metrics reported from that step were never used to choose it. The chosen step is
 * recorded as the metric {@value #STEP}, and the parameters of that step are put back at the end, so
 * that the checkpoint and the attention sample match the reported metrics. Equal values (exact match
 * still 0 everywhere early in training) go to the lower {@code val/loss}, then to the earliest
 * evaluation, as {@code tune:} breaks ties; a NaN value never wins.
 */
public final class BestStep {
  /** The step whose evaluation a {@code select: best} run reports. */
  public static final String STEP = "selected_step";
  /** Breaks ties (e.g. exact match still 0 at every evaluation), as tuning does. */
  private static final String TIE_BREAK = "val/loss";

  private final BuiltModel model;
  private final boolean lower;
  private final String metric;
  private long step = -1;
  private double value = Double.NaN;
  private double tieBreak = Double.NaN;
  private Map<String, Double> metrics = Map.of();
  private final List<INDArray> parameters = new ArrayList<>();
  private final Map<String, INDArray> buffers = new LinkedHashMap<>();

  /**
   * @param metric the validation metric compared ({@code val/…})
   * @param declared the task's metrics, for the direction ({@link MetricDirections} by name otherwise)
   */
  BestStep(BuiltModel model, String metric, List<Metric> declared) {
    this.model = model;
    this.metric = metric;
    this.lower = declared.stream().filter(m -> m.matches(metric)).findFirst().map(m -> !m.higherIsBetter())
        .orElseGet(() -> MetricDirections.lowerIsBetter(metric));
  }

  /**
   * The metric a {@code select: best} run compares: its {@code select_on}, else {@code val/<the study's
   * first metric>} ({@code metrics:}), else {@code val/<the first metric the task reports>}.
   */
  static String metric(TrainConfig train, List<String> studyMetrics, Map<String, Double> firstEvaluation) {
    if (train.selectOn() != null) {
      return train.selectOn();
    }
    String primary = !studyMetrics.isEmpty() ? studyMetrics.get(0) : firstEvaluation.keySet().stream()
        .filter(m -> !m.startsWith(Metric.VALIDATION)).findFirst().orElse("loss");
    return primary.startsWith(Metric.VALIDATION) ? primary : Metric.VALIDATION + primary;
  }

  /**
   * After an evaluation: keeps it (with the parameters) when its validation value is the best so far.
   *
   * @param reported everything the run reports at this step (test and validation metrics, train loss, …)
   * @throws RunFailure when the evaluation does not report the metric (a task without a validation split)
   */
  void offer(long step, Map<String, Double> reported) {
    Double v = reported.get(metric);
    if (v == null) {
      throw new RunFailure(step, "train.select: best compares '" + metric + "', which the task does not report ("
          + "it reports " + reported.keySet().stream().filter(m -> m.startsWith(Metric.VALIDATION)).toList()
          + " on its validation split); name one with train.select_on, or use select: last");
    }
    double tie = TIE_BREAK.equals(metric) ? Double.NaN : reported.getOrDefault(TIE_BREAK, Double.NaN);
    boolean better = this.step < 0 || (lower ? v < value : v > value) || (v == value && tie < tieBreak);
    if (Double.isNaN(v) || !better) {
      return;
    }
    this.step = step;
    this.value = v;
    this.tieBreak = tie;
    this.metrics = new LinkedHashMap<>(reported);
    snapshot();
  }

  /** The chosen evaluation's metrics and {@value #STEP}; empty before any evaluation was kept. */
  Map<String, Double> metrics() {
    if (step < 0) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>(metrics);
    out.put(STEP, (double) step);
    return out;
  }

  /** Puts back the parameters and buffers (e.g. BatchNorm statistics) of the chosen step. */
  void restore() {
    if (step < 0) {
      return;
    }
    List<Tensor> params = model.params().parameters().list();
    for (int i = 0; i < params.size(); i++) {
      params.get(i).value().assign(parameters.get(i));
    }
    model.params().buffers().forEach((name, buffer) -> buffer.assign(buffers.get(name)));
  }

  private void snapshot() {
    List<Tensor> params = model.params().parameters().list();
    if (parameters.isEmpty()) {
      params.forEach(p -> parameters.add(p.value().dup()));
      model.params().buffers().forEach((name, buffer) -> buffers.put(name, buffer.dup()));
      return;
    }
    for (int i = 0; i < params.size(); i++) {
      parameters.get(i).assign(params.get(i).value());
    }
    model.params().buffers().forEach((name, buffer) -> buffers.get(name).assign(buffer));
  }
}
