package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.tasks.classification.FortunesTopicTask;
import io.ablate.plugins.tasks.text.BibleText;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Dims;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.tensor.Rng;
import io.ablate.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Reads the installed datasets (Debian packages bible-kjv and fortunes; CI installs them). */
class RealTextDataTest {
  static final Path FORTUNES = Path.of("/usr/share/games/fortunes");

  static boolean bibleInstalled() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "bible"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theWholeBibleIsReadAsVerses() {
    Assumptions.assumeTrue(bibleInstalled(), "skipped: Debian package bible-kjv is not installed");
    List<String> verses = BibleText.verses("gen1:1-rev22:21", "lm-bible");
    assertEquals(31102, verses.size(), "the KJV has 31,102 verses");
    assertEquals("In the beginning God created the heaven and the earth.", verses.get(0));
    assertEquals("The grace of our Lord Jesus Christ be with you all. Amen.", verses.get(verses.size() - 1));
    long chars = verses.stream().mapToLong(String::length).sum();
    assertTrue(chars > 3_900_000 && chars < 4_300_000, chars + " characters of prose");
  }

  @Test
  void lmBibleHoldsOutTheEnd() {
    Assumptions.assumeTrue(bibleInstalled(), "skipped: Debian package bible-kjv is not installed");
    var p = LanguageModelTaskTest.prepare("lm-bible", Map.of("passage", "john1:1-21:25", "train_context", 32,
        "eval_contexts", List.of(32, 64), "scored_tokens", 16), "char");
    assertTrue(p.task().trainingText().get(0).startsWith("In the beginning was the Word"));
    String heldOut = p.tokenizer().decode(p.task().evalIds());
    assertTrue(heldOut.strip().endsWith("the world itself could not contain the books that should be written. Amen."),
        "the held-out tail is the end of John");
  }

  @Test
  void fortunesTopicReadsBalancedDisjointCategories() {
    Assumptions.assumeTrue(Files.isDirectory(FORTUNES), "skipped: Debian package fortunes is not installed");
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      FortunesTopicTask task = (FortunesTopicTask) context.create(Family.TASK, ComponentSpec.of("fortunes-topic"));
      TextTokenizer chars = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      List<String> training = task.trainingText();
      chars.train(training);
      task.prepare(chars, 1);
      assertEquals(List.of("computers", "food", "law", "politics", "science", "work"), task.labels());
      int[] perClass = new int[6];
      for (int label : task.trainLabels()) {
        perClass[label]++;
      }
      for (int n : perClass) {
        assertEquals(128, n, "160 per category, 20% held out");
      }
      assertEquals(6 * 32, task.evalLabels().length);
      Set<String> trained = new HashSet<>(training);
      for (String q : task.evalQuotes()) {
        assertTrue(!trained.contains(q), "held-out quote in training: " + q);
      }
    }
  }

  @Test
  void lmFortunesReadsEveryCategoryButNeverOffensive() {
    Assumptions.assumeTrue(Files.isDirectory(FORTUNES), "skipped: Debian package fortunes is not installed");
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      Task task = context.create(Family.TASK, ComponentSpec.of("lm-fortunes"));
      List<String> text = task.trainingText();
      assertTrue(text.size() > 12_000, text.size() + " quotes");
      assertTrue(text.stream().noneMatch(q -> q.contains("\b")), "overstrike resolved");
    }
  }
}
