package io.ablate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ablate.core.model.ModelContext;
import io.ablate.core.model.ParameterStore;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.RunState;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Evaluator;
import io.ablate.spi.task.Metric;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract of every task: batches shaped for the task's objective with ids in the vocabulary, the
 * same seed giving the same data, a tokenizer of the wrong kind refused with a message, every reported
 * metric declared in {@link Task#metrics()} with its direction, and (where claimed) training and
 * evaluation items that never coincide. Evaluation runs against a uniform model (all logits zero):
 * the contract is about the task, not about learning.
 *
 * @param <C> the task's config record
 */
public abstract class TaskContract<C extends Record> extends ComponentContract<C> {
  /** What a task may claim beyond the basic contract. */
  public enum Capability {
    /** No evaluation item (input row) is ever drawn as a training item. */
    DISJOINT_SPLITS
  }

  private static final long SEED = 7;
  private static final int BATCH = 4;

  /** The tokenizer the task runs with, as a study writes it ({@code char}, {@code {type: patches, …}}). */
  protected ComponentSpec tokenizer() {
    return ComponentSpec.of("char");
  }

  /** A tokenizer of the wrong kind, which {@link Task#prepare} must refuse; null when every kind works. */
  protected abstract ComponentSpec wrongTokenizer();

  protected abstract Set<Capability> capabilities();

  /** The task with the first example options, prepared with {@link #tokenizer()} and the given seed. */
  private Prepared prepare(long seed) {
    Rng rng = new Rng(seed);
    ModelContext setup = new ModelContext(TestModels.registry(), new ParameterStore(DataType.FLOAT, rng), null,
        new RunState(), rng, TokenCorpus.EMPTY);
    Task task = TestModels.registry().create(Family.TASK,
        new ComponentSpec(factory().name(), exampleOptions().get(0)), setup, "task");
    Tokenizer tokenizer = TestModels.registry().create(Family.TOKENIZER, tokenizer(), setup, "tokenizer");
    if (tokenizer instanceof TextTokenizer text) {
      text.train(task.trainingText());
    }
    return new Prepared(task, task.prepare(tokenizer, seed), rng);
  }

  private record Prepared(Task task, ModelIO io, Rng rng) {}

  @Test
  void batchesAreShapedForTheObjectiveWithIdsInTheVocabulary() {
    Prepared p = prepare(SEED);
    try (Rng draw = new Rng(1)) {
      Batch b = p.task().trainBatch(BATCH, draw);
      assertEquals(p.io().objective(), b.objective(), "the batch is laid out for the task's objective");
      assertEquals(BATCH, b.size(), "rows");
      assertEquals(BATCH, b.targets().size(0), "target rows");
      if (b.objective() == Objective.IMAGE_CLASSIFICATION) {
        assertEquals(p.io().patchDim(), b.patches().size(2), "patch length");
        assertTrue(b.patches().size(1) <= p.io().maxLength(), "patches ≤ maxLength");
      } else {
        assertEquals(2, b.tokens().rank(), "tokens are (B, T)");
        assertTrue(b.tokens().size(1) <= p.io().maxLength(), "T ≤ maxLength " + p.io().maxLength());
        assertTrue(b.tokens().minNumber().longValue() >= 0 && b.tokens().maxNumber().longValue() < p.io().vocabSize(),
            "token ids in [0, " + p.io().vocabSize() + ")");
        if (b.tokenMask() != null) {
          assertArrayEquals(b.tokens().shape(), b.tokenMask().shape(), "mask shape");
        }
      }
      if (b.objective().name().contains("CLASSIFICATION")) {
        assertEquals(1, b.targets().rank(), "labels are (B)");
        assertTrue(b.targets().maxNumber().longValue() < p.io().classes(), "labels < classes");
      } else {
        assertEquals(2, b.targets().rank(), "targets are (B, T)");
        long max = b.targets().maxNumber().longValue();
        assertTrue(max < p.io().vocabSize(), "target ids < vocabulary");
        assertTrue(b.targets().neq(Batch.IGNORE).any(), "some target is scored");
      }
    } finally {
      p.rng().close();
    }
  }

  @Test
  void theSameSeedGivesTheSameData() {
    Prepared a = prepare(SEED);
    Prepared b = prepare(SEED);
    try (Rng drawA = new Rng(3); Rng drawB = new Rng(3)) {
      for (int i = 0; i < 3; i++) {
        Batch x = a.task().trainBatch(BATCH, drawA);
        Batch y = b.task().trainBatch(BATCH, drawB);
        assertEquals(inputs(x), inputs(y), "batch " + i + " inputs");
        assertEquals(x.targets(), y.targets(), "batch " + i + " targets");
      }
      assertEquals(a.task().evaluate(new UniformModel(a.io(), null)).metrics(),
          b.task().evaluate(new UniformModel(b.io(), null)).metrics(), "evaluation");
    } finally {
      a.rng().close();
      b.rng().close();
    }
  }

  @Test
  void aTokenizerOfTheWrongKindIsRefused() {
    ComponentSpec wrong = wrongTokenizer();
    assumeTrue(wrong != null, "every tokenizer kind works with this task");
    try (Rng rng = new Rng(SEED)) {
      ModelContext setup = new ModelContext(TestModels.registry(), new ParameterStore(DataType.FLOAT, rng), null,
          new RunState(), rng, TokenCorpus.EMPTY);
      Task task = TestModels.registry().create(Family.TASK,
          new ComponentSpec(factory().name(), exampleOptions().get(0)), setup, "task");
      Tokenizer tokenizer = TestModels.registry().create(Family.TOKENIZER, wrong, setup, "tokenizer");
      if (tokenizer instanceof TextTokenizer text) {
        text.train(task.trainingText().isEmpty() ? List.of("a b c") : task.trainingText());
      }
      ConfigException e = assertThrows(ConfigException.class, () -> task.prepare(tokenizer, SEED));
      assertTrue(e.getMessage().contains(factory().name()), "the message names the task: " + e.getMessage());
    }
  }

  @Test
  void everyReportedMetricIsDeclaredWithItsDirection() {
    Prepared p = prepare(SEED);
    try {
      List<Metric> declared = p.task().metrics();
      assertFalse(declared.isEmpty(), "the task declares its metrics (Task.metrics())");
      assertEquals(declared.size(), declared.stream().map(Metric::name).distinct().count(), "declared once each");
      Evaluation e = p.task().evaluate(new UniformModel(p.io(), null));
      assertFalse(e.metrics().isEmpty(), "evaluation reports metrics");
      for (String reported : e.metrics().keySet()) {
        assertTrue(declared.stream().anyMatch(m -> m.matches(reported)), "'" + reported + "' is reported but not "
            + "declared in metrics() " + declared);
      }
      if (e.predictions() != null) {
        for (String framework : List.of("accuracy", "macro_f1")) {
          assertTrue(declared.stream().anyMatch(m -> m.name().equals(framework) && m.higherIsBetter()),
              "a task with predictions declares '" + framework + "' (higher is better)");
        }
      }
    } finally {
      p.rng().close();
    }
  }

  @Test
  void trainingAndEvaluationItemsAreDisjoint() {
    assumeTrue(capabilities().contains(Capability.DISJOINT_SPLITS), "the task does not claim DISJOINT_SPLITS");
    Prepared p = prepare(SEED);
    try (Rng draw = new Rng(11)) {
      Set<List<Double>> evaluated = new HashSet<>();
      p.task().evaluate(new UniformModel(p.io(), evaluated));
      assertFalse(evaluated.isEmpty(), "evaluation read some items");
      for (int i = 0; i < 50; i++) {
        for (List<Double> row : rows(inputs(p.task().trainBatch(BATCH, draw)))) {
          assertFalse(evaluated.contains(row), "training item " + row + " is also an evaluation item");
        }
      }
    } finally {
      p.rng().close();
    }
  }

  private static INDArray inputs(Batch b) {
    return b.patches() != null ? b.patches() : b.tokens();
  }

  /** Each row of a (B, …) array as a list, padding (trailing zeros) dropped. */
  private static List<List<Double>> rows(INDArray inputs) {
    List<List<Double>> out = new ArrayList<>();
    INDArray flat = inputs.reshape(inputs.size(0), -1);
    for (int r = 0; r < flat.rows(); r++) {
      double[] row = flat.getRow(r).castTo(DataType.DOUBLE).toDoubleVector();
      int end = row.length;
      while (end > 0 && row[end - 1] == 0) {
        end--;
      }
      List<Double> items = new ArrayList<>();
      for (int i = 0; i < end; i++) {
        items.add(row[i]);
      }
      out.add(items);
    }
    return out;
  }

  /** A model that knows nothing: every logit zero. Records the rows it is shown when asked to. */
  private static final class UniformModel implements Evaluator {
    private final ModelIO io;
    private final Set<List<Double>> seen;

    UniformModel(ModelIO io, Set<List<Double>> seen) {
      this.io = io;
      this.seen = seen;
    }

    private void see(Batch batch) {
      if (seen != null) {
        seen.addAll(rows(inputs(batch)));
      }
    }

    @Override
    public INDArray logits(Batch batch) {
      see(batch);
      if (batch.objective().name().contains("CLASSIFICATION")) {
        return Nd4j.zeros(DataType.FLOAT, batch.size(), io.classes());                      // (B, C)
      }
      long t = batch.decoderTokens() != null ? batch.decoderTokens().size(1) : batch.tokens().size(1);
      return Nd4j.zeros(DataType.FLOAT, batch.size(), t, io.vocabSize());                   // (B, T, V)
    }

    @Override
    public double loss(Batch batch) {
      see(batch);
      return Math.log(batch.objective().name().contains("CLASSIFICATION") ? io.classes() : io.vocabSize());
    }

    @Override
    public int[][] generate(Batch batch, Decoding decoding) {
      throw new UnsupportedOperationException("the uniform model does not generate");
    }

    @Override
    public boolean canGenerate() {
      return false;
    }
  }

  /** Options as a map, for subclasses that build them. */
  protected static Map<String, Object> options(Object... keyValues) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.put((String) keyValues[i], keyValues[i + 1]);
    }
    return out;
  }
}
