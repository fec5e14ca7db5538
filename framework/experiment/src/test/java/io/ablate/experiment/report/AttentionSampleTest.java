package io.ablate.experiment.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ParameterStore;
import io.ablate.experiment.run.AttentionSample;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.RunState;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Evaluator;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link AttentionSample} with a stand-in model that records known weights: the file layout, the
 * mode it runs in (evaluation, no gradients, capture on) and the mode it leaves (training, capture
 * off), the seeded example, and that no failure escapes.
 */
class AttentionSampleTest {
  @TempDir
  Path dir;

  /** Records (B=1, H=2, T, T) weights w[h][q][k] = h + q/10 + k/100 in two layers, and the modes it saw. */
  static final class RecordingModel implements Model {
    final RunState state = new RunState();
    final List<String> seen = new ArrayList<>();
    boolean record = true;
    boolean fail;

    @Override
    public Set<Objective> objectives() {
      return Set.of(Objective.LANGUAGE_MODEL);
    }

    @Override
    public Tensor logits(Batch batch) {
      seen.add("training=" + state.training() + " capturing=" + state.capturing() + " grad=" + GradMode.isEnabled());
      if (fail) {
        throw new IllegalStateException("plugin bug");
      }
      int t = (int) batch.tokens().size(1);
      INDArray w = Nd4j.create(DataType.FLOAT, 1, 2, t, t);
      for (int h = 0; h < 2; h++) {
        for (int q = 0; q < t; q++) {
          for (int k = 0; k < t; k++) {
            w.putScalar(new long[] {0, h, q, k}, h + q / 10.0 + k / 100.0);
          }
        }
      }
      if (record && state.capturing()) {
        state.record("blocks.0.attention", w);
        state.record("blocks.1.attention", w.mul(2));
      }
      return Tensor.constant(Nd4j.zeros(DataType.FLOAT, 1, t, 4));
    }
  }

  /** A language-model task that only draws training batches: all a capture needs. */
  abstract static class TrainBatchOnlyTask implements Task {
    @Override
    public Objective objective() {
      return Objective.LANGUAGE_MODEL;
    }

    @Override
    public List<String> trainingText() {
      return List.of();
    }

    @Override
    public ModelIO prepare(Tokenizer tokenizer, long seed) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Evaluation evaluate(Evaluator evaluator) {
      throw new UnsupportedOperationException();
    }
  }

  /** Each batch is one row of 3 ids drawn from the rng, so the example depends on the seed only. */
  static final class DrawTask extends TrainBatchOnlyTask {
    @Override
    public Batch trainBatch(int batchSize, Rng rng) {
      assertEquals(1, batchSize);
      INDArray ids = rng.integers(20, 1, 3).addi(6);                          // (1, 3)
      return Batch.languageModel(ids, ids);
    }
  }

  /**
   * Rows are {@code s s} minus the last token with |s| = 3, except every odd row of a batch of more
   * than one, which is not a repeat.
   */
  static final class RepeatTask extends TrainBatchOnlyTask {
    @Override
    public Batch trainBatch(int batchSize, Rng rng) {
      INDArray ids = Nd4j.create(DataType.INT64, batchSize, 5);                 // (B, 5)
      for (int b = 0; b < batchSize; b++) {
        long[] row = b % 2 == 0 ? new long[] {7, 8, 9, 7, 8} : new long[] {7, 8, 9, 7, 9};
        for (int t = 0; t < 5; t++) {
          ids.putScalar(b, t, row[t]);
        }
      }
      return Batch.languageModel(ids, ids);
    }
  }

  /** Head 0 an induction head for copy length 3 (i → i − 2 from i = 3, else → 0), head 1 a previous-token head. */
  static final class InductionModel implements Model {
    final RunState state = new RunState();

    @Override
    public Set<Objective> objectives() {
      return Set.of(Objective.LANGUAGE_MODEL);
    }

    @Override
    public Tensor logits(Batch batch) {
      int b = (int) batch.tokens().size(0);
      int t = (int) batch.tokens().size(1);
      INDArray w = Nd4j.create(DataType.FLOAT, b, 2, t, t);                     // (B, H, T, T)
      for (int r = 0; r < b; r++) {
        for (int q = 0; q < t; q++) {
          w.putScalar(new long[] {r, 0, q, q >= 3 ? q - 2 : 0}, 1);
          w.putScalar(new long[] {r, 1, q, Math.max(0, q - 1)}, 1);
        }
      }
      if (state.capturing()) {
        state.record("blocks.1.attention", w);
      }
      return Tensor.constant(Nd4j.zeros(DataType.FLOAT, b, t, 4));
    }
  }

  @Test
  void aRepeatedExampleGetsItsHeadsPatternScoresAveragedOverTheRepeatedRowsOfABatch() throws IOException {
    InductionModel model = new InductionModel();
    Rng rng = new Rng(1);
    try (BuiltModel built = new BuiltModel(model, new ParameterStore(DataType.FLOAT, rng), model.state, rng)) {
      assertTrue(AttentionSample.capture(built, new RepeatTask(), NO_TEXT, 3, dir));
    }
    JsonNode patterns = new ObjectMapper().readTree(dir.resolve(AttentionSample.FILE).toFile()).get("repeat_patterns");
    assertEquals(16, patterns.get("examples").asInt(), "the even rows of 32");
    JsonNode layer = patterns.get("layers").get("blocks.1.attention");
    assertEquals(1.0, layer.get("prefix_matching").get(0).asDouble(), 1e-9);
    assertEquals(0.0, layer.get("prefix_matching").get(1).asDouble(), 1e-9);
    assertEquals(0.0, layer.get("duplicate_token").get(0).asDouble(), 1e-9);
    assertEquals(0.25, layer.get("previous_token").get(0).asDouble(), 1e-9, "only 1 → 0 of 1…4");
    assertEquals(1.0, layer.get("previous_token").get(1).asDouble(), 1e-9);
  }

  @Test
  void anExampleThatIsNoRepeatGetsNoPatternScores() throws IOException {
    RecordingModel model = new RecordingModel();
    try (BuiltModel built = built(model)) {
      assertTrue(AttentionSample.capture(built, new DrawTask(), NO_TEXT, 42, dir));
    }
    assertEquals(1, model.seen.size(), "one forward pass: no batch for pattern scores");
    assertFalse(new ObjectMapper().readTree(dir.resolve(AttentionSample.FILE).toFile()).has("repeat_patterns"));
  }

  private static final Tokenizer NO_TEXT = new Tokenizer() {
    @Override
    public void save(OutputStream out) {}

    @Override
    public void load(InputStream in) {}
  };

  private BuiltModel built(RecordingModel model) {
    Rng rng = new Rng(1);
    return new BuiltModel(model, new ParameterStore(DataType.FLOAT, rng), model.state, rng);
  }

  @Test
  void writesTheWeightsOfRowZeroPerLayerInEvaluationModeWithoutGradients() throws IOException {
    RecordingModel model = new RecordingModel();
    try (BuiltModel built = built(model)) {
      assertTrue(AttentionSample.capture(built, new DrawTask(), NO_TEXT, 42, dir));
    }
    assertEquals(List.of("training=false capturing=true grad=false"), model.seen);
    assertTrue(model.state.training(), "training mode restored");
    assertFalse(model.state.capturing(), "capture stopped");
    JsonNode doc = new ObjectMapper().readTree(dir.resolve(AttentionSample.FILE).toFile());
    assertEquals(3, doc.get("tokens").size());
    assertEquals(List.of("blocks.0.attention", "blocks.1.attention"), fieldNames(doc.get("layers")));
    JsonNode layer1 = doc.get("layers").get("blocks.1.attention");
    assertEquals(2, layer1.size(), "heads");
    assertEquals(3, layer1.get(0).size(), "queries");
    assertEquals(3, layer1.get(0).get(0).size(), "keys");
    assertEquals(2 * (1 + 0.2 + 0.01), layer1.get(1).get(2).get(1).asDouble(), 1e-6, "w[h=1][q=2][k=1], doubled");
    // the example is fixed by the seed
    try (Rng rng = new Rng(42)) {
      int[] expected = new DrawTask().trainBatch(1, rng).tokens().toIntVector();
      assertArrayEquals(expected, new ObjectMapper().convertValue(doc.get("tokens"), int[].class));
    }
  }

  @Test
  void modelsThatRecordNothingGetNoFile() {
    RecordingModel model = new RecordingModel();
    model.record = false;
    try (BuiltModel built = built(model)) {
      assertFalse(AttentionSample.capture(built, new DrawTask(), NO_TEXT, 1, dir));
    }
    assertFalse(Files.exists(dir.resolve(AttentionSample.FILE)));
  }

  @Test
  void aFailingForwardIsLoggedNotThrownAndTheModeIsRestored() {
    RecordingModel model = new RecordingModel();
    model.fail = true;
    try (BuiltModel built = built(model)) {
      assertFalse(AttentionSample.capture(built, new DrawTask(), NO_TEXT, 1, dir));
    }
    assertTrue(model.state.training());
    assertFalse(model.state.capturing());
    assertFalse(Files.exists(dir.resolve(AttentionSample.FILE)));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
