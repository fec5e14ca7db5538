package io.ablate.plugins.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ablate.plugins.text.TestTexts;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.testkit.TokenizerContract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteBpeTokenizerTest extends TokenizerContract<ByteBpeTokenizer.Config> {
  @Override
  protected ComponentFactory<ByteBpeTokenizer.Config, Tokenizer> factory() {
    return ByteBpeTokenizer.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("vocab_size", 300, "min_frequency", 1));
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
    return Set.of(Capability.LOSSLESS_ROUND_TRIP, Capability.UNICODE, Capability.OPEN_VOCABULARY,
        Capability.LEARNS_VOCABULARY);
  }

  @Override
  protected Map<String, Object> optionsWithVocabularyLimit(int limit) {
    return Map.of("vocab_size", limit);
  }

  /** The 256 byte tokens come first, so limits start above 262. */
  @Override
  protected List<Integer> vocabularyLimits() {
    return List.of(262, 280, 320);
  }

  private static List<String> tokens(TextTokenizer t, String text) {
    return Arrays.stream(t.encode(text)).mapToObj(t::token).toList();
  }

  @Test
  void bytesHaveIdsSixTo261SpelledAsInGpt2() {
    TextTokenizer t = create(Map.of());
    assertEquals(262, t.vocabSize());
    assertEquals("!", t.token(6 + '!'));
    assertEquals("Ġ", t.token(6 + ' '), "space");
    assertEquals("Ċ", t.token(6 + '\n'), "line feed");
    assertEquals("Ā", t.token(6), "byte 0");
    assertArrayEquals(new int[] {6 + 0xF0, 6 + 0x9F, 6 + 0x98, 6 + 0x80}, t.encode("😀"), "UTF-8 bytes of U+1F600");
  }

  @Test
  void emojiCjkAndCombiningMarksRoundTripExactlyWithoutTraining() {
    TextTokenizer t = create(Map.of());
    t.train(TestTexts.CORPUS);
    for (String text : List.of("😀👍🏽👨‍👩‍👧", "漢字とかな、한국어", "e\u0301 vs é", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "tab\tCR\r\n", "")) {
      assertEquals(text, t.decode(t.encode(text)), "round trip of '" + text + "'");
    }
  }

  @Test
  void chunksFollowGpt2sPattern() {
    List<String> chunks = new ArrayList<>();
    ByteBpeTokenizer.chunks("I'm here  with 42 cats!! ", chunks::add);
    assertEquals(List.of("I", "'m", " here", " ", " with", " 42", " cats", "!!", " "), chunks);
  }

  @Test
  void frequentChunksBecomeSingleTokens() {
    TextTokenizer t = create(Map.of("vocab_size", 300, "min_frequency", 2));
    t.train(List.of("the cat and the hat and the bat"));
    assertEquals(List.of("Ġthe"), tokens(t, " the"));
    assertEquals(List.of("the", "Ġ", "c", "at"), tokens(t, "the cat"), "(a, t) occurs 3 times, (Ġ, c) once");
  }

  @Test
  void aCutMultiByteCharacterDecodesToTheReplacementCharacter() {
    TextTokenizer t = create(Map.of());
    int[] ids = t.encode("é");
    assertEquals("\uFFFD", t.decode(new int[] {ids[0]}));
  }

  /** The incremental trainer against a naive Python one that recounts every pair at every merge. */
  @Test
  void matchesTheNaiveReferenceTrainerOnOpticks() {
    JsonNode ref = ReferenceFixture.tokenizer("byte_bpe");
    ByteBpeTokenizer t = (ByteBpeTokenizer) create(Map.of("vocab_size", ref.get("vocab_size").asInt(),
        "min_frequency", ref.get("min_frequency").asInt()));
    t.train(ReferenceFixture.corpus());
    List<String> vocab = new ArrayList<>();
    for (int id = 0; id < t.vocabSize(); id++) {
      vocab.add(t.token(id));
    }
    assertEquals(ReferenceFixture.strings(ref.get("vocab")), vocab, "vocabulary in id order");
    List<String> merges = t.merges().stream().map(m -> t.token(m[0]) + " " + t.token(m[1])).toList();
    List<String> expected = new ArrayList<>();
    ref.get("merges").forEach(m -> expected.add(m.get(0).asText() + " " + m.get(1).asText()));
    assertEquals(expected, merges);
    List<String> samples = ReferenceFixture.samples();
    for (int i = 0; i < samples.size(); i++) {
      assertEquals(ReferenceFixture.strings(ref.get("encodings").get(i)), tokens(t, samples.get(i)),
          "encoding of '" + samples.get(i) + "'");
    }
  }

  @Test
  void vocabSizeMustHoldTheBytes() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("vocab_size", 261)));
    assertTrue(e.getMessage().contains("at least 262"), e.getMessage());
  }
}
