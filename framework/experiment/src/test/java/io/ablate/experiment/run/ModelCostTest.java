package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FLOPs per token include attention: 6 N + 12 · layers · d_model · T for a causal decoder (PaLM, app. B). */
class ModelCostTest {
  private static final Registry REGISTRY = Wiring.builtins();

  @TempDir
  Path dir;

  @Test
  void aDecoderCountsItsAttentionMatmulsAtTheMeasuredLength() throws IOException {
    Path spec = dir.resolve("s.yaml");
    Files.writeString(spec, """
        study: cost
        base:
          task: {type: copy, symbols: 4, train_min_length: 6, train_max_length: 6, eval_max_length: 6, eval_examples: 2}
          tokenizer: char
          model: {architecture: decoder, d_model: 16, layers: 3, heads: 2, ffn: {type: gelu, hidden: 32}}
        ablate:
          grid:
            model.layers: [1, 3]
        seeds: [1]
        """);
    StudySpec s = SpecLoader.load(spec, java.util.List.of());
    StudyPlan plan = StudyPlan.of(s, dir);
    Map<String, VariantCost> sizes = VariantSizes.of(plan, REGISTRY);
    // every training row is "xxxxxx>yyyyyy[EOS]" minus its last token: 13 tokens, no padding
    int t = 13;
    for (int layers : new int[] {1, 3}) {
      VariantCost cost = sizes.get("layers=" + layers);
      double attention = cost.flopsPerToken() - 6.0 * cost.parameters();
      assertEquals(12.0 * layers * 16 * t, attention, 1e-6, "layers=" + layers);
    }
    assertTrue(sizes.get("layers=3").parameters() > sizes.get("layers=1").parameters());
  }
}
