package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.tasks.classification.FortunesTopicTask;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.tensor.Rng;
import io.ablate.testkit.TestModels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** fortunes-topic on the bundled excerpts (40 quotes each of computers, science, work). */
class FortunesTopicTaskTest {
  private record Prepared(FortunesTopicTask task, TextTokenizer tokenizer, ModelIO io) {}

  private static Prepared prepare(Map<String, Object> extra) {
    Map<String, Object> options = new HashMap<>(Map.of("path", LanguageModelTaskTest.FORTUNES.toString(),
        "categories", List.of("computers", "science", "work"), "max_per_category", 30, "eval_fraction", 0.2,
        "max_length", 40));
    options.putAll(extra);
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      FortunesTopicTask task = (FortunesTopicTask) context.create(Family.TASK, new ComponentSpec("fortunes-topic",
          options));
      TextTokenizer tokenizer = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      tokenizer.train(task.trainingText());
      return new Prepared(task, tokenizer, task.prepare(tokenizer, 1));
    }
  }

  @Test
  void balancedDisjointSplitWithClsFirstAndTruncation() {
    Prepared p = prepare(Map.of());
    assertEquals(3 * 24, p.task().trainLabels().length, "30 per category, 6 held out");
    assertEquals(3 * 6, p.task().evalLabels().length);
    Set<String> trained = new HashSet<>(p.task().trainingText());
    p.task().evalQuotes().forEach(q -> assertTrue(!trained.contains(q), "held out but trained: " + q));
    for (int[] ids : p.task().trainTokens()) {
      assertEquals(SpecialToken.CLS.id(), ids[0]);
      assertTrue(ids.length <= 40, "truncated to max_length");
    }
    assertEquals(new ModelIO(Objective.CLASSIFICATION, p.tokenizer().vocabSize(), 3, 40, 0), p.io());
    try (Rng rng = new Rng(2)) {
      Batch batch = p.task().trainBatch(8, rng);
      assertArrayEquals(new long[] {8, 40}, batch.tokens().shape(), "(B, T) padded to the longest row");
      assertArrayEquals(new long[] {8}, batch.targets().shape());
    }
  }

  @Test
  void theSplitSeedFixesTheSplit() {
    assertEquals(prepare(Map.of()).task().evalQuotes(), prepare(Map.of()).task().evalQuotes());
    assertNotEquals(prepare(Map.of()).task().evalQuotes(), prepare(Map.of("split_seed", 2)).task().evalQuotes());
  }

  @Test
  void missingDataAndUnknownCategoriesAreClearErrors() {
    ConfigException missing = assertThrows(ConfigException.class, () -> prepare(Map.of("path", "/nonexistent")));
    assertTrue(missing.getMessage().contains("Debian package fortunes") && missing.getMessage().contains("`path`"),
        missing.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> prepare(Map.of("categories", List.of("science", "sience"))));
    assertTrue(unknown.getMessage().contains("'sience'") && unknown.getMessage().contains("science"),
        unknown.getMessage());
    ConfigException tooShort = assertThrows(ConfigException.class, () -> prepare(Map.of("max_chars", 5)));
    assertTrue(tooShort.getMessage().contains("max_chars"), tooShort.getMessage());
  }
}
