package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.tasks.lm.LanguageModelTask;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.tensor.Rng;
import io.ablate.testkit.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** lm-bible / lm-fortunes on the bundled excerpts: splits, batches, evaluation windows, errors. */
class LanguageModelTaskTest {
  static final Path FORTUNES = Path.of("src/test/resources/fortunes");

  @TempDir
  Path dir;

  record Prepared(LanguageModelTask task, TextTokenizer tokenizer, ModelIO io) {}

  static Prepared prepare(String name, Map<String, Object> options, String tokenizer) {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      LanguageModelTask task = (LanguageModelTask) context.create(Family.TASK, new ComponentSpec(name, options));
      TextTokenizer text = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of(tokenizer));
      text.train(task.trainingText());
      return new Prepared(task, text, task.prepare(text, 1));
    }
  }

  private static Map<String, Object> small(Map<String, Object> extra) {
    var options = new java.util.HashMap<String, Object>(Map.of("train_context", 16, "eval_contexts", List.of(16, 32, 64),
        "scored_tokens", 8, "eval_windows", 10, "eval_fraction", 0.25));
    options.putAll(extra);
    return options;
  }

  @Test
  void trainingTextIsTheLeadingSegmentsAndNeverTheHeldOutTail() {
    Prepared p = prepare("lm-fortunes", small(Map.of("path", FORTUNES.toString(), "files", List.of("work", "science"))),
        "char");
    List<String> training = p.task().trainingText();
    assertTrue(training.get(0).startsWith("A bank is a place"), training.get(0));
    String trained = String.join("", training);
    String heldOut = p.tokenizer().decode(p.task().evalIds());
    assertTrue(heldOut.length() > 1000, "a quarter of 80 quotes is held out");
    assertFalse(trained.contains(heldOut.substring(0, 200)), "held-out text is not in the training text");
    assertEquals(trained, p.tokenizer().decode(p.task().trainIds()), "the training split is exactly the training text");
    assertEquals(ModelIO.languageModel(p.tokenizer().vocabSize(), 64), p.io());
  }

  @Test
  void trainingBatchesAreShiftedWindows() {
    Prepared p = prepare("lm-fortunes", small(Map.of("path", FORTUNES.toString(), "files", List.of("work"))), "char");
    try (Rng rng = new Rng(3)) {
      Batch batch = p.task().trainBatch(4, rng);
      assertEquals(Objective.LANGUAGE_MODEL, batch.objective());
      assertArrayEquals(new long[] {4, 16}, batch.tokens().shape());
      assertArrayEquals(new long[] {4, 16}, batch.targets().shape());
      assertArrayEquals(batch.tokens().get(NDArrayIndex.all(), NDArrayIndex.interval(1, 16)).toLongMatrix(),
          batch.targets().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 15)).toLongMatrix(), "targets = tokens shifted");
    }
  }

  @Test
  void everyContextScoresTheSameLastTokens() {
    Prepared p = prepare("lm-fortunes", small(Map.of("path", FORTUNES.toString(), "files", List.of("science"))),
        "char");
    int[] ends = p.task().windowEnds();
    assertEquals(10, ends.length);
    Batch shortest = p.task().window(ends, 16);
    Batch longest = p.task().window(ends, 64);
    assertArrayEquals(new long[] {10, 64}, longest.tokens().shape());
    long[][] a = shortest.targets().get(NDArrayIndex.all(), NDArrayIndex.interval(8, 16)).toLongMatrix();
    long[][] b = longest.targets().get(NDArrayIndex.all(), NDArrayIndex.interval(56, 64)).toLongMatrix();
    assertArrayEquals(a, b, "the same scored targets at 16 and 64 tokens of context");
    assertEquals(10 * 56, longest.targets().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 56))
        .eq(Batch.IGNORE).castTo(DataType.INT32).sumNumber().intValue(), "everything before the last 8 is ignored");
    int[] eval = p.task().evalIds();
    assertEquals(eval[ends[0] - 1], a[0][7], "the last scored target is the token before the end position");
  }

  @Test
  void metricsAtEveryContextWithBitsPerCharacter() {
    Prepared p = prepare("lm-fortunes", small(Map.of("path", FORTUNES.toString(), "files", List.of("science"))),
        "char");
    try (TaskRunner untrained = new TaskRunner(p.task(), p.io(), ComponentSpec.of("decoder").with("d_model", 16)
        .with("layers", 1).with("heads", 2).with("positional", "alibi"), 1)) {
      Evaluation e = untrained.evaluate();
      for (String m : List.of("loss", "perplexity", "bits_per_char", "loss@ctx=16", "loss@ctx=32", "loss@ctx=64",
          "perplexity@ctx=64", "bits_per_char@ctx=64")) {
        assertTrue(e.metrics().containsKey(m), m + " in " + e.metrics().keySet());
      }
      double loss = e.metrics().get("loss");
      assertEquals(loss, e.metrics().get("loss@ctx=16"), 1e-12, "headline is train_context");
      assertEquals(Math.exp(loss), e.metrics().get("perplexity"), 1e-9);
      assertEquals(Math.log(p.tokenizer().vocabSize()), loss, 0.7, "an untrained model is near uniform");
      assertEquals(loss / Math.log(2), e.metrics().get("bits_per_char"), 0.05, "char tokens: one character each");
    }
  }

  @Test
  void bitsPerCharacterCountCharactersNotTokensWithBpe() {
    Prepared p = prepare("lm-fortunes", small(Map.of("path", FORTUNES.toString(), "files", List.of("science", "work"))),
        "bpe");
    try (TaskRunner untrained = new TaskRunner(p.task(), p.io(), ComponentSpec.of("decoder").with("d_model", 16)
        .with("layers", 1).with("heads", 2), 1)) {
      Evaluation e = untrained.evaluate();
      double bitsPerToken = e.metrics().get("loss") / Math.log(2);
      assertTrue(e.metrics().get("bits_per_char") < 0.8 * bitsPerToken,
          "BPE tokens span several characters: " + e.metrics());
    }
  }

  @Test
  void aTextFileCanReplaceTheBibleCommand() throws IOException {
    Path file = dir.resolve("text.txt");
    String verse = "And God said, Let there be light: and there was light.";
    Files.writeString(file, String.join("\n", java.util.Collections.nCopies(60, verse)));
    Prepared p = prepare("lm-bible", small(Map.of("path", file.toString())), "char");
    assertEquals(45, p.task().trainingText().size(), "60 lines, a quarter held out");
    assertEquals(verse + "\n", p.task().trainingText().get(0));
  }

  @Test
  void missingDataSaysWhatToInstallAndWhichKey() {
    ConfigException fortunes = assertThrows(ConfigException.class, () -> prepare("lm-fortunes",
        Map.of("path", dir.resolve("nowhere").toString()), "char"));
    assertTrue(fortunes.getMessage().contains("Debian package fortunes") && fortunes.getMessage().contains("`path`")
        && fortunes.getMessage().contains("scripts/install-system-packages.sh"), fortunes.getMessage());
    ConfigException bible = assertThrows(ConfigException.class, () -> prepare("lm-bible",
        Map.of("path", dir.resolve("missing.txt").toString()), "char"));
    assertTrue(bible.getMessage().contains("`path`"), bible.getMessage());
    ConfigException offensive = assertThrows(ConfigException.class, () -> prepare("lm-fortunes",
        Map.of("path", FORTUNES.toString(), "files", List.of("off/racism")), "char"));
    assertTrue(offensive.getMessage().contains("off/"), offensive.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class, () -> prepare("lm-fortunes",
        Map.of("path", FORTUNES.toString(), "files", List.of("sciense")), "char"));
    assertTrue(unknown.getMessage().contains("science"), "lists the available files: " + unknown.getMessage());
  }

  @Test
  void badContextsAreRejectedWithTheKey() {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      ConfigException e = assertThrows(ConfigException.class, () -> context.create(Family.TASK,
          new ComponentSpec("lm-bible", Map.of("eval_contexts", List.of(16), "scored_tokens", 32))));
      assertTrue(e.getMessage().contains("eval_contexts") && e.getMessage().contains("scored_tokens"), e.getMessage());
      Task task = context.create(Family.TASK, new ComponentSpec("lm-bible", Map.of()));
      assertEquals(Objective.LANGUAGE_MODEL, task.objective(), "creating the task reads nothing (validation is cheap)");
    }
    assertTrue(Arrays.asList(1, 2).size() == 2);
  }
}
