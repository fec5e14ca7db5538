package io.ablate.plugins.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.text.TestTexts;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.testkit.TokenizerContract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WordTokenizerTest extends TokenizerContract<WordTokenizer.Config> {
  @Override
  protected ComponentFactory<WordTokenizer.Config, Tokenizer> factory() {
    return WordTokenizer.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("lower_case", true), Map.of("min_count", 1, "max_vocab", 5000));
  }

  @Override
  protected List<String> corpus() {
    return TestTexts.CORPUS;
  }

  @Override
  protected List<String> samples() {
    List<String> samples = new ArrayList<>(TestTexts.SAMPLES);
    samples.add(TestTexts.UNTIDY);
    return samples;
  }

  /** Samples are written in the spacing {@link Words#join} produces, so only whitespace runs and case change. */
  @Override
  protected String normalise(String text, Map<String, Object> options) {
    String spaced = text.strip().replaceAll("\\s+", " ");
    return Boolean.TRUE.equals(options.get("lower_case")) ? spaced.toLowerCase(Locale.ROOT) : spaced;
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.UNICODE, Capability.LEARNS_VOCABULARY, Capability.NEEDS_TRAINING);
  }

  @Override
  protected Map<String, Object> optionsWithVocabularyLimit(int limit) {
    return Map.of("max_vocab", limit);
  }

  private List<String> tokens(TextTokenizer t, String text) {
    return Arrays.stream(t.encode(text)).mapToObj(t::token).toList();
  }

  @Test
  void punctuationMarksAreTokensOfTheirOwn() {
    TextTokenizer t = create(Map.of());
    t.train(List.of("Hello, world! (Don't panic.)"));
    assertEquals(List.of("Hello", ",", "world", "!", "(", "Don", "'", "t", "panic", ".", ")"),
        tokens(t, "Hello, world! (Don't panic.)"));
    assertEquals("Hello, world! (Don't panic.)", t.decode(t.encode("Hello,   world!\n(Don't panic.)")));
  }

  @Test
  void vocabularyIsByFrequencyWithMinCount() {
    TextTokenizer t = create(Map.of("min_count", 2));
    t.train(List.of("b a b a c", "a"));
    assertEquals(List.of("a", "b"), List.of(t.token(7), t.token(8)), "a (3) before b (2); c (1) below min_count");
    assertEquals(9, t.vocabSize());
    assertArrayEquals(new int[] {8, 6}, t.encode("b c"));
    assertEquals("b \uFFFD", t.decode(t.encode("b c")));
  }

  @Test
  void lowerCaseFoldsCaseVariantsTogether() {
    TextTokenizer t = create(Map.of("lower_case", true));
    t.train(List.of("The the THE"));
    assertEquals(8, t.vocabSize(), "one word 'the' after the reserved ids");
    assertArrayEquals(t.encode("the"), t.encode("ThE"));
  }

  @Test
  void maxVocabMustLeaveRoomForAWord() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("max_vocab", 3)));
    assertTrue(e.getMessage().contains("max_vocab must exceed 7"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> config(Map.of("min_count", 0)));
    assertTrue(e.getMessage().contains("min_count must be at least 1"), e.getMessage());
  }
}
