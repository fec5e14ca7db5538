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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CharTokenizerTest extends TokenizerContract<CharTokenizer.Config> {
  @Override
  protected ComponentFactory<CharTokenizer.Config, Tokenizer> factory() {
    return CharTokenizer.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("max_vocab", 500));
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

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.LOSSLESS_ROUND_TRIP, Capability.UNICODE, Capability.LEARNS_VOCABULARY,
        Capability.NEEDS_TRAINING);
  }

  @Override
  protected Map<String, Object> optionsWithVocabularyLimit(int limit) {
    return Map.of("max_vocab", limit);
  }

  @Test
  void vocabularyIsMostFrequentFirstThenByCodePoint() {
    TextTokenizer t = create(Map.of());
    t.train(List.of("cab", "ba", "a"));
    assertEquals("[UNK]", t.token(6));
    assertEquals(List.of("a", "b", "c"), List.of(t.token(7), t.token(8), t.token(9)));
    assertEquals(10, t.vocabSize());
  }

  @Test
  void maxVocabKeepsTheMostFrequentCharactersAndTheRestAreUnknown() {
    TextTokenizer t = create(Map.of("max_vocab", 9));
    t.train(List.of("aaa bb c"));
    assertEquals(9, t.vocabSize());
    assertArrayEquals(new int[] {7, 8, 6}, t.encode("a c"), "a, space, [UNK]");
    assertEquals("a\uFFFD", t.decode(t.encode("ac")), "[UNK] decodes to U+FFFD");
  }

  @Test
  void aCharacterOutsideTheBmpIsOneToken() {
    TextTokenizer t = create(Map.of());
    t.train(List.of("😀 x 𝔘"));
    assertEquals(1, t.encode("😀").length);
    assertEquals("𝔘😀", t.decode(t.encode("𝔘😀")));
  }

  @Test
  void maxVocabMustLeaveRoomForACharacter() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("max_vocab", 7)));
    assertTrue(e.getMessage().contains("max_vocab must exceed 7"), e.getMessage());
  }
}
