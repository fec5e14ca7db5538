package io.ablate.plugins.architectures.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.plugins.architectures.TestBatches;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import io.ablate.testkit.TestModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Pre-LN and post-LN blocks, with and without residual connections, build and learn. Without
 * residuals a two-block stack learns markedly slower (what the ablation is for), hence a lower bar.
 */
class BlockVariantsTest {
  @ParameterizedTest(name = "placement {0}, residual {1}")
  @CsvSource({"pre, true", "pre, false", "post, true", "post, false"})
  void buildsAndLearnsAFixedBatch(String placement, boolean residual) {
    ComponentSpec spec = ComponentSpec.of("decoder").with("d_model", 16).with("layers", 2).with("heads", 2)
        .with("placement", placement).with("residual", residual);
    try (BuiltModel m = new ModelBuilder(TestModels.registry())
        .build(spec, ModelIO.languageModel(12, 8), 3, TokenCorpus.EMPTY, DataType.FLOAT)) {
      boolean pre = placement.equals("pre");
      assertEquals(pre, m.params().parameters().contains("decoder.final_norm.gain"),
          "a final norm exactly when blocks are pre-norm");
      Batch batch = TestBatches.languageModel(4, 12, 6, 6, 6);
      Adam adam = Adam.adamW(m.params().parameters(), 0.0);
      double first = Double.NaN;
      double last = Double.NaN;
      for (int step = 0; step < 40; step++) {
        m.params().parameters().zeroGrad();
        Tensor loss = m.model().loss(batch);
        last = loss.item();
        if (step == 0) {
          first = last;
        }
        loss.backward();
        adam.step(1e-2);
      }
      double bar = residual ? 0.5 : 0.8;
      assertTrue(last < bar * first, placement + "-norm, residual " + residual + ": loss " + first + " → " + last);
    }
  }
}
