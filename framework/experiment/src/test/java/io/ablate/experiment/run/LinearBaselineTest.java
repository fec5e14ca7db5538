package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Tribuo bag-of-tokens baseline: at chance on an order-only task, perfect on a bag-determined one. */
class LinearBaselineTest {
  @TempDir
  Path dir;

  @Test
  void bagOfTokensIsAtChanceWhenOnlyOrderCarriesTheLabel() throws Exception {
    Path spec = dir.resolve("s.yaml");
    Files.writeString(spec, """
        study: order
        base:
          task: {type: order-sensitivity, train_examples: 1000, eval_examples: 400}
          tokenizer: char
          model: {architecture: encoder, d_model: 16, layers: 1, heads: 2}
        seeds: [1, 2]
        """);
    StudySpec s = SpecLoader.load(spec, List.of());
    StudyPlan plan = StudyPlan.of(s, dir.resolve("results"));
    List<RunRecord> records = LinearBaseline.run(plan, Wiring.builtins());
    assertEquals(2, records.size());
    for (RunRecord r : records) {
      double accuracy = r.metrics().get("accuracy");
      assertTrue(accuracy > 0.4 && accuracy < 0.6, "chance expected, got " + accuracy);
      assertEquals(400.0, r.metrics().get("confusion/a-first/a-first") + r.metrics().get("confusion/a-first/b-first")
          + r.metrics().get("confusion/b-first/a-first") + r.metrics().get("confusion/b-first/b-first"), 0);
    }
    assertTrue(LinearBaseline.runAndStore(plan, Wiring.builtins()));
    assertTrue(Files.exists(plan.dir().resolve("runs/tribuo-linear--seed-2/run.json")));
  }

  @Test
  void noBaselineForTasksWithoutABagOfTokensView() throws Exception {
    Path spec = dir.resolve("c.yaml");
    Files.writeString(spec, """
        study: copy
        base:
          task: {type: copy}
          model: {architecture: decoder}
        """);
    StudyPlan plan = StudyPlan.of(SpecLoader.load(spec, List.of()), dir.resolve("results"));
    assertEquals(List.of(), LinearBaseline.run(plan, Wiring.builtins()));
  }
}
