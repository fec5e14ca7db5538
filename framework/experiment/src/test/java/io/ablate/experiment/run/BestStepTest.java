package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ParameterStore;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.MetricHistory;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.RunState;
import io.ablate.experiment.train.TrainConfig;
import io.ablate.spi.task.Metric;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** {@code train: {select: best}}: chosen on validation only, test metrics of that step, its parameters back. */
class BestStepTest {
  private static final Registry REGISTRY = Wiring.builtins();

  @TempDir
  Path dir;

  /** A model with one 2-vector parameter, to see which step's parameters end up in it. */
  private static BuiltModel oneParameter() {
    Rng rng = new Rng(1);
    ParameterStore store = new ParameterStore(DataType.DOUBLE, rng);
    store.zeros("w", 2);
    RunState state = new RunState();
    Model model = new Model() {
      @Override
      public Set<Objective> objectives() {
        return Set.of(Objective.LANGUAGE_MODEL);
      }

      @Override
      public Tensor logits(Batch batch) {
        throw new UnsupportedOperationException();
      }
    };
    return new BuiltModel(model, store, state, rng);
  }

  private static Map<String, Double> eval(double val, double test) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("exact_match", test);
    m.put("val/exact_match", val);
    return m;
  }

  @Test
  void theStepWithTheBestValidationValueIsReportedWithItsTestMetricsAndParameters() {
    try (BuiltModel model = oneParameter()) {
      Tensor w = model.params().parameters().get("w");
      BestStep best = new BestStep(model, "val/exact_match", List.of(Metric.higher("exact_match")));
      double[][] evals = {{0.5, 0.9}, {0.8, 0.1}, {0.8, 0.7}, {Double.NaN, 1.0}, {0.6, 0.95}};
      for (int i = 0; i < evals.length; i++) {
        w.value().assign(i);                                        // the parameters at step 10 (i + 1)
        best.offer(10L * (i + 1), eval(evals[i][0], evals[i][1]));
      }
      // the best validation value (0.8) first at step 20, whose test exact match is the worst: never chosen on test
      assertEquals(20.0, best.metrics().get(BestStep.STEP));
      assertEquals(0.1, best.metrics().get("exact_match"));
      best.restore();
      assertEquals(1.0, w.value().getDouble(0), "step 20's parameters are back");
      // equal values go to the lower val/loss (exact match still 0 everywhere early on), then to the earliest
      BestStep ties = new BestStep(model, "val/exact_match", List.of(Metric.higher("exact_match")));
      ties.offer(10, Map.of("val/exact_match", 0.0, "val/loss", 2.0));
      ties.offer(20, Map.of("val/exact_match", 0.0, "val/loss", 1.5));
      ties.offer(30, Map.of("val/exact_match", 0.0, "val/loss", 1.5));
      ties.offer(40, Map.of("val/exact_match", 0.0, "val/loss", 1.7));
      assertEquals(20.0, ties.metrics().get(BestStep.STEP));
    }
  }

  @Test
  void theMetricIsSelectOnElseTheValidationFormOfTheStudysPrimaryElseOfTheTasksFirst() {
    Map<String, Double> first = eval(0.5, 0.5);
    TrainConfig best = io.ablate.experiment.spec.Sections.train(Map.of("train", Map.of("select", "best")));
    assertEquals("val/exact_match", BestStep.metric(best, List.of(), first));
    assertEquals("val/loss@ctx=256", BestStep.metric(best, List.of("loss@ctx=256", "loss"), first));
    TrainConfig named = io.ablate.experiment.spec.Sections.train(Map.of("train", Map.of("select", "best",
        "select_on", "val/token_accuracy")));
    assertEquals("val/token_accuracy", BestStep.metric(named, List.of("exact_match"), first));
  }

  @Test
  void lowerIsBetterForLossesAndAMissingValidationMetricFailsTheRunClearly() {
    try (BuiltModel model = oneParameter()) {
      BestStep best = new BestStep(model, "val/loss", List.of(Metric.lower("loss")));
      best.offer(1, Map.of("val/loss", 2.0, "loss", 2.0));
      best.offer(2, Map.of("val/loss", 1.0, "loss", 3.0));
      best.offer(3, Map.of("val/loss", 1.5, "loss", 0.5));
      assertEquals(2.0, best.metrics().get(BestStep.STEP));
      RunFailure f = assertThrows(RunFailure.class, () -> new BestStep(model, "val/loss@ctx=256",
          List.of(Metric.lower("loss").perLengthToo())).offer(5, Map.of("loss@ctx=256", 1.0)));
      assertTrue(f.getMessage().contains("'val/loss@ctx=256', which the task does not report"), f.getMessage());
      assertEquals(5, f.step);
    }
  }

  private static final String SPEC = """
      study: select
      base:
        task: {type: reverse, symbols: 4, train_max_length: 4, eval_max_length: 4, eval_examples: 16}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
        train: {steps: 60, batch: 8, lr: 2.0e-2, eval_every: 5, schedule: constant}
      ablate:
        grid:
          train.select: [last, best]
      baseline: {train.select: last}
      seeds: [1]
      metrics: [token_accuracy, loss]
      """;

  @Test
  void aRealRunReportsTheEvaluationWithTheBestValidationValue() throws IOException {
    StudyPlan plan = plan(SPEC);
    for (StudyRunner.Outcome o : new StudyRunner(REGISTRY, 1).run(plan, RunListener.NONE)) {
      assertEquals(RunRecord.FINISHED, o.record().status(), o.record().failure());
      MetricHistory log = MetricHistory.read(plan.directory(o.run()).file("metrics.jsonl"));
      MetricHistory.Series val = log.get("val/token_accuracy");
      MetricHistory.Series test = log.get("token_accuracy");
      assertEquals(12, val.size(), "an evaluation every 5 of 60 steps");
      Map<String, Double> reported = o.record().metrics();
      if (o.run().variant().name().equals("select=best")) {
        double[] valLoss = log.get("val/loss").values();
        int chosen = 0;                                             // best val, then lowest val/loss, then earliest
        for (int i = 1; i < val.size(); i++) {
          if (val.values()[i] > val.values()[chosen]
              || (val.values()[i] == val.values()[chosen] && valLoss[i] < valLoss[chosen])) {
            chosen = i;
          }
        }
        assertEquals((double) val.steps()[chosen], reported.get(BestStep.STEP), "val: " + java.util.Arrays.toString(
            val.values()));
        assertTrue(chosen < val.size() - 1, "this run's best validation value is not its last, else the test shows "
            + "nothing: " + java.util.Arrays.toString(val.values()));
        assertEquals(test.values()[chosen], reported.get("token_accuracy"), 1e-12, "test metric of the chosen step");
        assertEquals(val.values()[chosen], reported.get("val/token_accuracy"), 1e-12);
        assertEquals(reported.get(BestStep.STEP), log.get(BestStep.STEP).values()[0], "logged for MLflow too");
      } else {
        assertFalse(reported.containsKey(BestStep.STEP));
        assertEquals(test.values()[test.size() - 1], reported.get("token_accuracy"), 1e-12, "the last evaluation");
      }
    }
  }

  @Test
  void selectingOnATestMetricIsRefusedBeforeAnythingTrains() {
    ConfigException e = assertThrows(ConfigException.class, () -> plan(SPEC.replace("schedule: constant}",
        "schedule: constant, select: best, select_on: token_accuracy}")));
    assertTrue(e.getMessage().contains("select_on must be a validation metric"), e.getMessage());
    assertTrue(e.getMessage().contains("study.yaml:"), "located: " + e.getMessage());
    assertNotEquals(-1, e.getMessage().indexOf("biased"));
  }

  private StudyPlan plan(String yaml) throws IOException {
    Path spec = dir.resolve("study.yaml");
    Files.writeString(spec, yaml);
    StudySpec s = SpecLoader.load(spec, List.of());
    StudyPlan plan = StudyPlan.of(s, dir.resolve("results"));
    StudyValidator.validate(s, plan.variants(), REGISTRY);
    return plan;
  }

}
