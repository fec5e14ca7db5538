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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerTest extends TokenizerContract<WordPieceTokenizer.Config> {
  @Override
  protected ComponentFactory<WordPieceTokenizer.Config, Tokenizer> factory() {
    return WordPieceTokenizer.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("vocab_size", 300, "lower_case", true),
        Map.of("vocab_size", 400, "min_frequency", 1, "max_input_chars_per_word", 50));
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

  /** Spacing as for {@code word}: samples use its style, so only whitespace runs and case change. */
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
    return Map.of("vocab_size", limit);
  }

  private static List<String> tokens(TextTokenizer t, String text) {
    return Arrays.stream(t.encode(text)).mapToObj(t::token).toList();
  }

  /**
   * Words {hug: 10, pug: 5, hugs: 5}. Symbols h ##u ##g ##s p with counts h 15, ##u 20, ##g 20, ##s 5, p 5.
   * Scores: (h, ##u) 15/(15·20) = 0.05, (##u, ##g) 20/(20·20) = 0.05, (##g, ##s) 5/(20·5) = 0.05,
   * (p, ##u) 5/(5·20) = 0.05: a four-way tie, won by the smallest left token "##g" → ##gs.
   * Then (h, ##u) 15/(15·20) = 0.05, (##u, ##g) 15/(20·15) = 0.05, (##u, ##gs) 5/(20·5) = 0.05,
   * (p, ##u) 0.05: the tie goes to "##u" with right "##g" &lt; "##gs" → ##ug.
   */
  @Test
  void mergesByLikelihoodScoreWithContinuationPrefix() {
    TextTokenizer t = create(Map.of("vocab_size", 14, "min_frequency", 1));
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      corpus.add("hug hug pug hugs");
    }
    t.train(corpus);
    List<String> vocab = new ArrayList<>();
    for (int id = 7; id < t.vocabSize(); id++) {
      vocab.add(t.token(id));
    }
    assertEquals(List.of("##g", "##u", "h", "##s", "p", "##gs", "##ug"), vocab);
    assertEquals(List.of("h", "##ug"), tokens(t, "hug"));
    assertEquals(List.of("h", "##ug", "##s"), tokens(t, "hugs"),
        "greedy longest match, not training's h ##u ##gs: ##ugs is absent, ##ug matches, then ##s");
  }

  @Test
  void greedyLongestMatchFirstAndWholeWordUnknown() {
    TextTokenizer t = create(Map.of("vocab_size", 1000, "min_frequency", 1));
    t.train(List.of("unaffable unaffable affable able un"));
    assertEquals("unaffable", String.join("", tokens(t, "unaffable")).replace("##", ""));
    assertEquals(List.of("[UNK]"), tokens(t, "unaffablez"), "z never seen: the whole word is unknown");
    assertEquals("able \uFFFD un", t.decode(t.encode("able unaffablez un")));
  }

  @Test
  void continuationPiecesRejoinTheirWord() {
    TextTokenizer t = create(Map.of("vocab_size", 22, "min_frequency", 1));
    t.train(List.of("playing played plays player, playing!"));
    List<String> pieces = tokens(t, "playing played");
    assertTrue(pieces.stream().anyMatch(p -> p.startsWith("##")), "some pieces continue a word: " + pieces);
    assertEquals("playing played", t.decode(t.encode("playing played")));
    assertEquals("player, playing!", t.decode(t.encode("player ,playing !")));
  }

  @Test
  void tooLongWordsAreUnknown() {
    TextTokenizer t = create(Map.of("max_input_chars_per_word", 4, "min_frequency", 1));
    t.train(List.of("abcd abcde"));
    assertEquals(List.of("[UNK]"), tokens(t, "abcde"));
    assertTrue(!tokens(t, "abcd").contains("[UNK]"), "four characters are allowed");
  }

  /** The incremental trainer against a naive Python one that recounts every pair at every merge. */
  @Test
  void matchesTheNaiveReferenceTrainerOnOpticks() {
    JsonNode ref = ReferenceFixture.tokenizer("wordpiece");
    TextTokenizer t = create(Map.of("vocab_size", ref.get("vocab_size").asInt(),
        "min_frequency", ref.get("min_frequency").asInt()));
    t.train(ReferenceFixture.corpus());
    List<String> vocab = new ArrayList<>();
    for (int id = 0; id < t.vocabSize(); id++) {
      vocab.add(t.token(id));
    }
    assertEquals(ReferenceFixture.strings(ref.get("vocab")), vocab, "vocabulary in id order");
    List<String> samples = ReferenceFixture.samples();
    for (int i = 0; i < samples.size(); i++) {
      assertEquals(ReferenceFixture.strings(ref.get("encodings").get(i)), tokens(t, samples.get(i)),
          "encoding of '" + samples.get(i) + "'");
    }
  }

  @Test
  void badOptionsAreRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("vocab_size", 5)));
    assertTrue(e.getMessage().contains("vocab_size must exceed 7"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> config(Map.of("max_input_chars_per_word", 0)));
    assertTrue(e.getMessage().contains("max_input_chars_per_word"), e.getMessage());
  }
}
