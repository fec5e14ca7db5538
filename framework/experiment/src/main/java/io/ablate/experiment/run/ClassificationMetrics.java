package io.ablate.experiment.run;

import io.ablate.spi.task.Evaluation.Predictions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.evaluation.metrics.EvaluationMetric;
import org.tribuo.evaluation.metrics.MetricTarget;
import org.tribuo.impl.ArrayExample;

/** Accuracy, macro-F1 and the confusion matrix of a task's predictions, computed by Tribuo. */
public final class ClassificationMetrics {
  private ClassificationMetrics() {}

  /** {@code accuracy}, {@code macro_f1}, and {@code confusion/<actual>/<predicted>} counts. */
  public static Map<String, Double> of(Predictions p) {
    LabelConfusionMatrix matrix = confusion(p);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("accuracy", ConfusionMetrics.accuracy(EvaluationMetric.Average.MICRO, matrix));
    out.put("macro_f1", ConfusionMetrics.f1(new MetricTarget<>(EvaluationMetric.Average.MACRO), matrix));
    for (String actual : p.labels()) {
      for (String predicted : p.labels()) {
        out.put("confusion/" + actual + "/" + predicted, matrix.confusion(new Label(predicted), new Label(actual)));
      }
    }
    return out;
  }

  static LabelConfusionMatrix confusion(Predictions p) {
    Map<Label, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < p.labels().size(); i++) {
      ids.put(new Label(p.labels().get(i)), i);
    }
    ImmutableOutputInfo<Label> domain = new LabelFactory().constructInfoForExternalModel(ids);
    List<Prediction<Label>> predictions = new ArrayList<>();
    for (int i = 0; i < p.actual().length; i++) {
      ArrayExample<Label> example = new ArrayExample<>(new Label(p.labels().get(p.actual()[i])), 1f);
      predictions.add(new Prediction<>(new Label(p.labels().get(p.predicted()[i])), 0, example));
    }
    LabelConfusionMatrix matrix = new LabelConfusionMatrix(domain, predictions);
    matrix.setLabelOrder(new ArrayList<>(ids.keySet()));
    return matrix;
  }
}
