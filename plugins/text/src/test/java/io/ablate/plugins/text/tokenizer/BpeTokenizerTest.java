package io.ablate.plugins.text.tokenizer;

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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest extends TokenizerContract<BpeTokenizer.Config> {
  @Override
  protected ComponentFactory<BpeTokenizer.Config, Tokenizer> factory() {
    return BpeTokenizer.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("vocab_size", 300), Map.of("vocab_size", 400, "min_frequency", 1));
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

  /** Whitespace is normalised: runs become one space, none at the ends. */
  @Override
  protected String normalise(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.UNICODE, Capability.LEARNS_VOCABULARY, Capability.NEEDS_TRAINING);
  }

  @Override
  protected Map<String, Object> optionsWithVocabularyLimit(int limit) {
    return Map.of("vocab_size", limit);
  }

  private static List<String> merges(BpeTokenizer t) {
    return t.merges().stream().map(m -> t.token(m[0]) + " " + t.token(m[1])).toList();
  }

  private static List<String> tokens(TextTokenizer t, String text) {
    return Arrays.stream(t.encode(text)).mapToObj(t::token).toList();
  }

  /**
   * Sennrich et al.'s example vocabulary {low: 5, lower: 2, newest: 6, widest: 3}. By hand: (e, s) and
   * (s, t&lt;/w&gt;) both occur 9 times, "e" &lt; "s" picks (e, s); then (es, t&lt;/w&gt;) 9; (l, o) 7;
   * at 6 (e, w) beats (n, e) and (w, est&lt;/w&gt;); (ew, est&lt;/w&gt;) 6 beats (n, ew) 6; (n, ewest&lt;/w&gt;);
   * (lo, w&lt;/w&gt;) 5; at 3 (d, est&lt;/w&gt;) beats (i, d) and (w, i); (i, dest&lt;/w&gt;); (w, idest&lt;/w&gt;);
   * at 2 (e, r&lt;/w&gt;) beats (lo, w) and (w, e); (lo, w); (low, er&lt;/w&gt;). Then no pair is left.
   */
  @Test
  void learnsTheMergesComputedByHandForSennrichsExample() {
    BpeTokenizer t = (BpeTokenizer) create(Map.of("vocab_size", 1000, "min_frequency", 1));
    t.train(List.of(String.join(" ", Collections.nCopies(5, "low")), "lower lower",
        String.join(" ", Collections.nCopies(6, "newest")), "widest widest widest"));
    assertEquals(List.of("e s", "es t</w>", "l o", "e w", "ew est</w>", "n ewest</w>", "lo w</w>", "d est</w>",
        "i dest</w>", "w idest</w>", "e r</w>", "lo w", "low er</w>"), merges(t));
    assertEquals(7 + 11 + 13, t.vocabSize(), "reserved, 11 characters, 13 merges");
    assertEquals(List.of("low", "est</w>"), tokens(t, "lowest"), "an unseen word segmented by the merges");
    assertEquals(List.of("newest</w>", "low</w>", "lower</w>"), tokens(t, "newest low lower"));
    assertEquals("lowest newest", t.decode(t.encode("lowest  newest")));
  }

  @Test
  void minFrequencyStopsMergingRarePairs() {
    BpeTokenizer t = (BpeTokenizer) create(Map.of("vocab_size", 1000, "min_frequency", 3));
    t.train(List.of("ab ab ab cd cd"));
    assertEquals(List.of("a b</w>"), merges(t), "(c, d</w>) occurs twice, below 3");
  }

  @Test
  void vocabSizeStopsMergingAndCutsTheAlphabetToTheMostFrequent() {
    BpeTokenizer t = (BpeTokenizer) create(Map.of("vocab_size", 9, "min_frequency", 1));
    t.train(List.of("aa aa aa b"));
    assertEquals(9, t.vocabSize());
    assertEquals(List.of("a", "a</w>"), List.of(t.token(7), t.token(8)), "b</w> (once) did not fit");
    assertEquals(List.of("a", "a</w>", "[UNK]"), tokens(t, "aa b"));
  }

  @Test
  void unknownCharactersDecodeToTheReplacementCharacter() {
    TextTokenizer t = create(Map.of());
    t.train(List.of("hello world"));
    assertEquals("hello w\uFFFDrld", t.decode(t.encode("hello wörld")));
  }

  /** The incremental trainer against a naive Python one that recounts every pair at every merge. */
  @Test
  void matchesTheNaiveReferenceTrainerOnOpticks() {
    JsonNode ref = ReferenceFixture.tokenizer("bpe");
    BpeTokenizer t = (BpeTokenizer) create(Map.of("vocab_size", ref.get("vocab_size").asInt(),
        "min_frequency", ref.get("min_frequency").asInt()));
    t.train(ReferenceFixture.corpus());
    List<String> vocab = new ArrayList<>();
    for (int id = 0; id < t.vocabSize(); id++) {
      vocab.add(t.token(id));
    }
    assertEquals(ReferenceFixture.strings(ref.get("vocab")), vocab, "vocabulary in id order");
    List<String> expectedMerges = new ArrayList<>();
    ref.get("merges").forEach(m -> expectedMerges.add(m.get(0).asText() + " " + m.get(1).asText()));
    assertEquals(expectedMerges, merges(t));
    List<String> samples = ReferenceFixture.samples();
    for (int i = 0; i < samples.size(); i++) {
      assertEquals(ReferenceFixture.strings(ref.get("encodings").get(i)), tokens(t, samples.get(i)),
          "encoding of '" + samples.get(i) + "'");
    }
  }

  @Test
  void vocabSizeMustLeaveRoomForACharacter() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("vocab_size", 7)));
    assertTrue(e.getMessage().contains("vocab_size must exceed 7"), e.getMessage());
  }
}
