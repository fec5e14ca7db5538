package io.ablate.plugins.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.tasks.pairs.Pair;
import io.ablate.plugins.tasks.pairs.PairTask;
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
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** number-words and date-normalisation: data, disjoint splits, determinism, batch layouts, errors. */
class PairTasksTest {
  record Prepared(PairTask task, TextTokenizer tokenizer, ModelIO io) {}

  static Prepared prepare(String name, Map<String, Object> options, long seed) {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      PairTask task = (PairTask) context.create(Family.TASK, new ComponentSpec(name, options));
      TextTokenizer tokenizer = (TextTokenizer) context.create(Family.TOKENIZER, ComponentSpec.of("char"));
      tokenizer.train(task.trainingText());
      return new Prepared(task, tokenizer, task.prepare(tokenizer, seed));
    }
  }

  @Test
  void heldOutNumbersNeverAppearInTrainingAndPairsAreRight() {
    Prepared p = prepare("number-words", Map.of("max_number", 9999, "train_examples", 3000, "eval_examples", 300), 3);
    Set<String> trained = new HashSet<>();
    for (Pair pair : p.task().trainPairs()) {
      trained.add(pair.target());
      assertEquals(io.ablate.plugins.tasks.pairs.EnglishNumbers.words(Integer.parseInt(pair.target())), pair.source());
    }
    Set<String> evaluated = new HashSet<>();
    for (Pair pair : p.task().evalPairs()) {
      assertTrue(!trained.contains(pair.target()), pair.target() + " is held out but was trained on");
      evaluated.add(pair.target());
    }
    assertEquals(300, evaluated.size(), "evaluation numbers are distinct");
    for (String line : p.task().trainingText()) {
      for (Pair pair : p.task().evalPairs()) {
        assertTrue(!line.endsWith(">" + pair.target()), "the tokenizer's text holds held-out " + pair.target());
      }
    }
    assertEquals(Objective.SEQ2SEQ, p.io().objective());
  }

  @Test
  void sameSeedSameDataOtherSeedOther() {
    Map<String, Object> options = Map.of("language", "zh", "max_number", 99999, "train_examples", 200,
        "eval_examples", 50);
    Prepared one = prepare("number-words", options, 5);
    Prepared again = prepare("number-words", options, 5);
    Prepared other = prepare("number-words", options, 6);
    assertEquals(one.task().trainPairs(), again.task().trainPairs());
    assertEquals(one.task().evalPairs(), again.task().evalPairs());
    assertNotEquals(one.task().trainPairs(), other.task().trainPairs());
    Set<String> heldOut = new HashSet<>();
    one.task().evalPairs().forEach(x -> heldOut.add(x.target()));
    other.task().trainPairs().forEach(x -> assertTrue(!heldOut.contains(x.target()), "split is the same across seeds"));
  }

  @Test
  void digitsToChineseWordsInSeq2seqLayout() {
    Prepared p = prepare("number-words", Map.of("language", "zh", "direction", "digits_to_words",
        "max_number", 999, "train_examples", 100, "eval_examples", 20), 1);
    Pair first = p.task().trainPairs().get(0);
    assertTrue(first.source().matches("[0-9]+") && first.target().matches("[零一二三四五六七八九十百千万]+"), first.toString());
    try (Rng rng = new Rng(2)) {
      Batch batch = p.task().trainBatch(8, rng);
      assertEquals(Objective.SEQ2SEQ, batch.objective());
      assertEquals(8, batch.tokens().size(0));
      assertEquals(batch.decoderTokens().size(1), batch.targets().size(1), "decoder input and targets align");
      for (int i = 0; i < 8; i++) {
        assertEquals(SpecialToken.BOS.id(), batch.decoderTokens().getLong(i, 0), "decoder starts with [BOS]");
      }
      assertTrue(p.io().maxLength() >= batch.tokens().size(1) && p.io().maxLength() >= batch.targets().size(1));
    }
  }

  @Test
  void lmLayoutScoresOnlyTheAnswer() {
    Prepared p = prepare("number-words", Map.of("format", "lm", "max_number", 999, "train_examples", 100,
        "eval_examples", 20), 1);
    assertEquals(Objective.LANGUAGE_MODEL, p.io().objective());
    try (Rng rng = new Rng(2)) {
      Batch batch = p.task().trainBatch(4, rng);
      assertArrayEquals(batch.tokens().shape(), batch.targets().shape(), "(B, T) both");
      assertEquals(Batch.IGNORE, batch.targets().getLong(0, 0), "the words are the prompt, not scored");
    }
  }

  @Test
  void datesAreNormalisedToIsoAndHeldOutDaysAreUnseen() {
    Prepared p = prepare("date-normalisation", Map.of("train_examples", 4000, "eval_examples", 200), 2);
    Pattern iso = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    Set<String> trainedDays = new HashSet<>();
    Set<String> forms = new HashSet<>();
    for (Pair pair : p.task().trainPairs()) {
      assertTrue(iso.matcher(pair.target()).matches(), pair.target());
      LocalDate date = LocalDate.parse(pair.target());
      assertTrue(date.getYear() >= 1900 && date.getYear() <= 2099);
      assertTrue(pair.source().contains(String.valueOf(date.getYear())), pair.toString());
      trainedDays.add(pair.target());
      forms.add(pair.source().replaceAll("[0-9]", "9").replaceAll("[A-Z][a-z]+", "W"));
    }
    assertTrue(forms.size() >= 6, "several surface forms: " + forms);
    for (Pair pair : p.task().evalPairs()) {
      assertTrue(!trainedDays.contains(pair.target()), pair.target() + " held out but trained on");
    }
    assertTrue(p.task().trainPairs().stream().anyMatch(x -> x.source().matches("\\w+day, \\d+(st|nd|rd|th) of \\w+ \\d{4}")));
  }

  @Test
  void specificDateForms() {
    LocalDate d = LocalDate.of(2021, 3, 5);
    assertEquals("Friday, 5th of March 2021", io.ablate.plugins.tasks.pairs.DateForms.WEEKDAY_ORDINAL.render(d));
    assertEquals("2021/03/05", io.ablate.plugins.tasks.pairs.DateForms.YEAR_MONTH_DAY_SLASHES.render(d));
    assertEquals("Mar 5 2021", io.ablate.plugins.tasks.pairs.DateForms.SHORT_MONTH_DAY_YEAR.render(d));
    assertEquals("March 22nd, 2021",
        io.ablate.plugins.tasks.pairs.DateForms.MONTH_ORDINAL_YEAR.render(LocalDate.of(2021, 3, 22)));
    assertEquals("March 12th, 2021",
        io.ablate.plugins.tasks.pairs.DateForms.MONTH_ORDINAL_YEAR.render(LocalDate.of(2021, 3, 12)));
  }

  @Test
  void badOptionsSayWhichKeyAndWhatIsValid() {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(8, 2), null, DataType.FLOAT, rng);
      ConfigException big = assertThrows(ConfigException.class, () -> context.create(Family.TASK,
          new ComponentSpec("number-words", Map.of("language", "zh", "max_number", 200_000_000))));
      assertTrue(big.getMessage().contains("max_number") && big.getMessage().contains("99999999"), big.getMessage());
      ConfigException tooMany = assertThrows(ConfigException.class, () -> prepare("number-words",
          Map.of("max_number", 99, "eval_examples", 500), 1));
      assertTrue(tooMany.getMessage().contains("eval_examples"), tooMany.getMessage());
    }
  }
}
