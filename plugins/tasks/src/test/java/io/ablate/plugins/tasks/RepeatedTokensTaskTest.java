package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.tensor.Rng;
import io.ablate.testkit.TestModels;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** {@code repeated-tokens}: sequences are a string twice, scored per copy; a real model reports every metric. */
class RepeatedTokensTaskTest {
  @Test
  void copyLengthsVarySoTheRepeatIsNotAtAFixedOffset() {
    try (Rng rng = new Rng(3)) {
      var context = TestModels.context(new Dims(16, 2), null, DataType.FLOAT, rng);
      Task task = context.create(Family.TASK, new ComponentSpec("repeated-tokens",
          Map.of("symbols", 8, "min_length", 4, "length", 9, "eval_examples", 8)));
      TextTokenizer tokenizer = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      tokenizer.train(task.trainingText());
      task.prepare(tokenizer, 3);
      Batch batch = task.trainBatch(64, rng);
      java.util.Set<Long> lengths = new java.util.HashSet<>();
      for (long[] targets : batch.targets().toLongMatrix()) {
        long scored = Arrays.stream(targets).filter(t -> t >= 0).count();       // 2n − 1 targets per row
        assertEquals(1, scored % 2, "an odd number of targets: " + scored);
        lengths.add((scored + 1) / 2);
      }
      assertEquals(java.util.Set.of(4L, 5L, 6L, 7L, 8L, 9L), lengths, "every copy length in [min_length, length]");
    }
  }

  @Test
  void aTrainingRowIsOneStringTwiceAndEvaluationScoresEachCopy() {
    try (Rng rng = new Rng(2)) {
      var context = TestModels.context(new Dims(16, 2), null, DataType.FLOAT, rng);
      Task task = context.create(Family.TASK, new ComponentSpec("repeated-tokens",
          Map.of("symbols", 8, "min_length", 6, "length", 6, "eval_examples", 8)));
      TextTokenizer tokenizer = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      tokenizer.train(task.trainingText());
      ModelIO io = task.prepare(tokenizer, 2);
      Batch batch = task.trainBatch(4, rng);
      long[] row = batch.tokens().getRow(0).toLongVector();                  // s s without its last token
      assertEquals(11, row.length);
      assertArrayEquals(Arrays.copyOfRange(row, 0, 5), Arrays.copyOfRange(row, 6, 11), "the second copy repeats");
      long[] targets = batch.targets().getRow(0).toLongVector();
      assertEquals(row[1], targets[0], "next-token targets");
      assertTrue(Arrays.stream(targets).allMatch(t -> t >= 0), "training scores every position");
      try (TaskRunner runner = new TaskRunner(task, io, ComponentSpec.of("decoder").with("d_model", 16)
          .with("layers", 2).with("heads", 2).with("ffn", "none"), 2)) {
        runner.train(3, 8, 1e-3, rng);
        Evaluation e = runner.evaluate();
        for (String name : new String[] {"loss_repeat", "loss_first", "induction_gain", "accuracy_repeat", "loss",
            "val/loss_repeat", "val/induction_gain"}) {
          assertTrue(Double.isFinite(e.metrics().get(name)), name + " in " + e.metrics());
        }
        assertEquals(e.metrics().get("loss_first") - e.metrics().get("loss_repeat"), e.metrics().get("induction_gain"),
            1e-9);
        assertTrue(e.metrics().get("loss_first") > 1.5, "an untrained model cannot predict random symbols: "
            + e.metrics());
      }
    }
  }
}
