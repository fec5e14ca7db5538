package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.tasks.synthetic.ItemSplit;
import io.ablate.plugins.tasks.synthetic.Rule;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Dims;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Evaluator;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.tensor.Rng;
import io.ablate.testkit.TestModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The synthetic rules and the batch layout of the sequence tasks. */
class SequenceTaskTest {
  @Test
  void rulesMapSourcesToTheirTargets() {
    assertEquals("abc", Rule.COPY.apply("abc"));
    assertEquals("cba", Rule.REVERSE.apply("abc"));
    assertEquals("abbc", Rule.SORT.apply("bcab"));
    assertEquals("502", Rule.ADDITION.apply("407+95"));
    assertEquals("1000000000000000000000", Rule.ADDITION.apply("999999999999999999999+1"), "no overflow");
    assertEquals("7", Rule.ASSOCIATIVE_RECALL.apply("a3c7d1?c"));
  }

  @Test
  void generatedSourcesHaveTheAskedLength() {
    SplittableRandom random = new SplittableRandom(1);
    for (int length = 1; length <= 12; length++) {
      String sum = Rule.ADDITION.source(random, length, 0);
      String[] operands = sum.split("\\+");
      assertEquals(length, operands[0].length());
      assertEquals(length, operands[1].length());
      assertTrue(length == 1 || operands[0].charAt(0) != '0', "no leading zero: " + sum);
      String recall = Rule.ASSOCIATIVE_RECALL.source(random, length, 0);
      assertEquals(2 * length + 2, recall.length(), recall);
      String keys = recall.replaceAll("[0-9?]", "");
      assertEquals(keys.length() - 1, keys.substring(0, keys.length() - 1).chars().distinct().count(), "distinct keys");
      assertTrue(keys.substring(0, keys.length() - 1).indexOf(keys.charAt(keys.length() - 1)) >= 0, "query is a key");
      assertTrue(Rule.ADDITION.maxCharacters(length) >= sum.length() + Rule.ADDITION.apply(sum).length());
    }
  }

  @Test
  void lmBatchesScoreOnlyTheAnswerAndItsEnd() {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      Task task = context.create(Family.TASK, new ComponentSpec("addition",
          Map.of("train_min_length", 2, "train_max_length", 2, "eval_max_length", 3)));
      TextTokenizer tokenizer = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      tokenizer.train(task.trainingText());
      task.prepare(tokenizer, 7);
      Batch batch = task.trainBatch(4, rng);
      // "ab+cd>" is 6 tokens; the answer has 2 or 3 digits plus [EOS]: targets before position 5 are ignored
      assertArrayEquals(new long[] {-1, -1, -1, -1, -1},
          batch.targets().get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 5)).toLongVector());
      assertTrue(batch.targets().getLong(0, 5) >= 0, "first answer digit is scored");
    }
  }

  @Test
  void trainingNeverDrawsAHeldOutItemAndEvaluationReportsValidationAndTestApart() {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      Task task = context.create(Family.TASK, new ComponentSpec("reverse",
          Map.of("symbols", 3, "train_max_length", 4, "eval_max_length", 6, "eval_examples", 16)));
      TextTokenizer tokenizer = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      tokenizer.train(task.trainingText());
      task.prepare(tokenizer, 3);
      Set<String> trained = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        trained.addAll(sources(task.trainBatch(32, rng), tokenizer));
      }
      assertTrue(trained.size() > 60, "3 symbols, lengths 1–4: most of the 120 strings are drawn");
      assertTrue(trained.stream().allMatch(s -> ItemSplit.of(s) == ItemSplit.TRAIN), "training sees only its split");
      List<String> evaluated = new ArrayList<>();
      Evaluation e = task.evaluate(new Evaluator() {
        @Override
        public INDArray logits(Batch batch) {
          evaluated.addAll(sources(batch, tokenizer));
          return Nd4j.zeros(DataType.FLOAT, batch.tokens().size(0), batch.tokens().size(1), tokenizer.vocabSize());
        }

        @Override
        public double loss(Batch batch) {
          return 1.0;
        }

        @Override
        public int[][] generate(Batch batch, io.ablate.spi.model.Decoding decoding) {
          throw new UnsupportedOperationException();
        }

        @Override
        public boolean canGenerate() {
          return false;
        }
      });
      Map<ItemSplit, Long> bySplit = new java.util.EnumMap<>(ItemSplit.class);
      evaluated.forEach(s -> bySplit.merge(ItemSplit.of(s), 1L, Long::sum));
      assertEquals(null, bySplit.get(ItemSplit.TRAIN), "no training item is evaluated");
      assertTrue(bySplit.get(ItemSplit.VALIDATION) > 10 && bySplit.get(ItemSplit.TEST) > 10, bySplit.toString());
      assertEquals(Set.of(), intersection(trained, Set.copyOf(evaluated)));
      for (String name : List.of("loss", "exact_match", "exact_match_longer", "exact_match@len=6")) {
        assertTrue(e.metrics().containsKey(name), "test split: " + name);
      }
      for (String name : List.of("val/loss", "val/exact_match", "val/exact_match_longer")) {
        assertTrue(e.metrics().containsKey(name), "validation split: " + name);
      }
      assertTrue(e.metrics().keySet().stream().noneMatch(k -> k.startsWith("val/") && k.contains("@")),
          "validation reports aggregates only");
    }
  }

  /** The source strings of an LM batch: each row's input up to the separator. */
  private static List<String> sources(Batch batch, TextTokenizer tokenizer) {
    List<String> out = new ArrayList<>();
    for (long[] row : batch.tokens().toLongMatrix()) {
      StringBuilder s = new StringBuilder();
      for (long id : row) {
        String piece = tokenizer.token((int) id);
        if (piece.equals(">")) {
          break;
        }
        s.append(piece);
      }
      out.add(s.toString());
    }
    return out;
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.retainAll(b);
    return out;
  }

  @Test
  void recallRejectsMoreKeysThanLetters() {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      ConfigException e = assertThrows(ConfigException.class, () -> context.create(Family.TASK,
          new ComponentSpec("associative-recall", Map.of("eval_max_length", 30))));
      assertTrue(e.getMessage().contains("at most 26 distinct keys"), e.getMessage());
    }
  }
}
