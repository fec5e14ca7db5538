package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.ReportWriter;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundled length study — a task evaluated beyond its training length ({@code eval_max_length >
 * train_max_length}) or context ({@code eval_contexts} beyond {@code train_context}) — trained for a
 * few steps with one seed and a small model, gets its per-length curve in the report.
 */
class LengthStudiesReportTest {
  private static final Path EXPERIMENTS = Path.of("../../experiments");
  private static final Registry REGISTRY = Wiring.builtins();

  @TempDir
  Path dir;

  @TestFactory
  Stream<DynamicTest> everyLengthStudyGetsItsLengthGeneralisationChart() throws IOException {
    List<Path> lengthStudies = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXPERIMENTS)) {
      for (Path spec : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        if (beyondTraining(SpecLoader.load(spec, List.of()).base())) {
          lengthStudies.add(spec);
        }
      }
    }
    List<String> names = lengthStudies.stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.containsAll(List.of("quickstart.yaml", "positional-length.yaml", "positional-length-lm.yaml")),
        names.toString());
    return lengthStudies.stream().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
      StudySpec s = SpecLoader.load(spec, small(spec));
      StudyPlan plan = StudyPlan.of(s, dir.resolve("results"));
      StudyValidator.validate(s, plan.variants(), REGISTRY);
      for (StudyRunner.Outcome o : new StudyRunner(REGISTRY, 1).run(plan, RunListener.NONE)) {
        assertEquals(RunRecord.FINISHED, o.record().status(), o.record().failure());
      }
      ReportWriter.Report report = ReportWriter.write(plan);
      Path chart = plan.dir().resolve("length_generalisation.png");
      assertTrue(report.files().contains(chart) && Files.size(chart) > 1000, spec + ": " + report.files());
      String html = Files.readString(report.html());
      assertTrue(html.contains("Length generalisation"), spec + " report lacks the per-length figure");
      assertFalse(html.contains("dashed line: longest training length 0"), html);
    }));
  }

  /** The base config evaluates lengths or contexts beyond those it trains on. */
  @SuppressWarnings("unchecked")
  private static boolean beyondTraining(Map<String, Object> base) {
    if (!(base.get("task") instanceof Map<?, ?> task)) {
      return false;
    }
    if (task.get("eval_max_length") instanceof Number eval && task.get("train_max_length") instanceof Number train) {
      return eval.intValue() > train.intValue();
    }
    if (task.get("eval_contexts") instanceof List<?> contexts && task.get("train_context") instanceof Number train) {
      return ((List<Object>) contexts).stream().anyMatch(c -> c instanceof Number n && n.intValue() > train.intValue());
    }
    return false;
  }

  /** A few steps, one seed, a narrow model, few evaluation items: the report's shape, not its numbers. */
  private static List<String> small(Path spec) throws IOException {
    List<String> sets = new ArrayList<>(List.of("seeds=[1]", "base.train.steps=4", "base.train.eval_every=4", "base.train.warmup=0",
        "base.model.d_model=16", "base.model.heads=2", "base.model.ffn.hidden=32"));
    String text = Files.readString(spec);
    if (text.contains("eval_examples")) {
      sets.add("base.task.eval_examples=4");
    }
    if (text.contains("eval_windows")) {
      sets.addAll(List.of("base.task.eval_windows=4", "base.task.max_chars=20000"));
    }
    return sets;
  }
}
