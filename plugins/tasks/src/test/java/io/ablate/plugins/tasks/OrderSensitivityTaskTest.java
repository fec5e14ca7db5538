package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.tasks.classification.OrderSensitivityTask;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.task.BagOfTokens;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.tensor.Rng;
import io.ablate.testkit.ComponentContract;
import io.ablate.testkit.TestModels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class OrderSensitivityTaskTest extends ComponentContract<OrderSensitivityTask.Config> {
  @Override
  protected ComponentFactory<OrderSensitivityTask.Config, ?> factory() {
    return OrderSensitivityTask.FACTORY;
  }

  private record Prepared(Task task, TextTokenizer tokenizer, ModelIO io) {}

  private static Prepared prepare(long seed) {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      Task task = context.create(Family.TASK, new ComponentSpec("order-sensitivity",
          Map.of("train_examples", 200, "eval_examples", 100)));
      TextTokenizer tokenizer = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      tokenizer.train(task.trainingText());
      return new Prepared(task, tokenizer, task.prepare(tokenizer, seed));
    }
  }

  @Test
  void labelsDependOnOrderOnlyEveryBagIsTheSameKind() {
    Prepared p = prepare(3);
    BagOfTokens data = (BagOfTokens) p.task();
    int a = p.tokenizer().encode("a")[0];
    int b = p.tokenizer().encode("b")[0];
    for (int i = 0; i < data.trainTokens().size(); i++) {
      int[] ids = data.trainTokens().get(i);
      assertEquals(SpecialToken.CLS.id(), ids[0], "[CLS] first");
      long as = Arrays.stream(ids).filter(x -> x == a).count();
      long bs = Arrays.stream(ids).filter(x -> x == b).count();
      assertEquals(1, as);
      assertEquals(1, bs);
      int ia = indexOf(ids, a);
      int ib = indexOf(ids, b);
      assertEquals(ia < ib ? 0 : 1, data.trainLabels()[i], "label = which comes first");
    }
    long ones = Arrays.stream(data.trainLabels()).filter(l -> l == 1).count();
    assertTrue(ones > 70 && ones < 130, "labels balanced: " + ones + " of 200");
    assertEquals(Objective.CLASSIFICATION, p.task().objective());
    assertEquals(new ModelIO(Objective.CLASSIFICATION, p.tokenizer().vocabSize(), 2, 9, 0), p.io());
  }

  @Test
  void sameSeedSameDataOtherSeedOther() {
    BagOfTokens one = (BagOfTokens) prepare(5).task();
    BagOfTokens again = (BagOfTokens) prepare(5).task();
    BagOfTokens other = (BagOfTokens) prepare(6).task();
    assertArrayEquals(one.trainLabels(), again.trainLabels());
    assertArrayEquals(one.evalTokens().get(0), again.evalTokens().get(0));
    assertTrue(!Arrays.equals(one.trainLabels(), other.trainLabels()));
  }

  @Test
  void batchesHoldClsSequencesAndLabels() {
    Prepared p = prepare(1);
    try (Rng rng = new Rng(2)) {
      Batch batch = p.task().trainBatch(16, rng);
      assertArrayEquals(new long[] {16, 9}, batch.tokens().shape());
      assertArrayEquals(new long[] {16}, batch.targets().shape());
      assertEquals(16 * 9, batch.tokenMask().sumNumber().intValue(), "no padding: all sequences are full");
    }
  }

  @Test
  void heldOutSequencesAreNeverTrainedOn() {
    BagOfTokens data = (BagOfTokens) prepare(5).task();
    java.util.Set<String> trained = new java.util.HashSet<>();
    data.trainTokens().forEach(ids -> trained.add(Arrays.toString(ids)));
    long seen = data.evalTokens().stream().filter(ids -> trained.contains(Arrays.toString(ids))).count();
    assertEquals(0, seen, "test sequences are disjoint from training sequences");
  }

  private static int indexOf(int[] ids, int id) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("symbols", 4, "length", 5));
  }
}
