package io.ablate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The contract of every text tokenizer ({@link TextTokenizer}): special tokens at ids 0–5, ids in
 * range, decoding that skips special tokens, a round trip that is exact or follows the tokenizer's
 * documented normalisation, save/load that restores identical behaviour, deterministic training and,
 * for learned vocabularies, respected size limits. What a tokenizer does not claim in
 * {@link #capabilities()} is skipped explicitly.
 *
 * @param <C> the tokenizer's config record
 */
public abstract class TokenizerContract<C extends Record> extends ComponentContract<C> {
  /** What a tokenizer may claim beyond the basic contract. */
  public enum Capability {
    /** {@code decode(encode(s)) == s} exactly for every sample (text the trained vocabulary covers). */
    LOSSLESS_ROUND_TRIP,
    /** Non-ASCII text (accents, CJK, Greek, Cyrillic, emoji, combining marks, non-BMP letters) round-trips
     * after training on it, exactly or up to {@link #normalise}. */
    UNICODE,
    /** Any text round-trips exactly, even text never seen in training (byte-level). */
    OPEN_VOCABULARY,
    /** The vocabulary is learned from the corpus and its size can be limited ({@link #optionsWithVocabularyLimit}). */
    LEARNS_VOCABULARY,
    /** Encoding before {@code train} or {@code load} fails with an IllegalStateException that says so. */
    NEEDS_TRAINING
  }

  /** Training text: a few kilobytes at most, so that the contract stays fast. */
  protected abstract List<String> corpus();

  /** Texts to encode and decode; they must round-trip (exactly or up to {@link #normalise}) after training on {@link #corpus()}. */
  protected abstract List<String> samples();

  protected abstract Set<Capability> capabilities();

  /** What {@code decode(encode(text))} gives for a sample, for tokenizers that normalise; identity by default. */
  protected String normalise(String text) {
    return text;
  }

  /** {@link #normalise(String)} for the given options (override when an option such as lower-casing changes it). */
  protected String normalise(String text, Map<String, Object> options) {
    return normalise(text);
  }

  /** Texts for {@link Capability#UNICODE}, in canonical spacing (single spaces, no punctuation). */
  protected List<String> unicodeSamples() {
    return List.of("naïve café déjà vu", "日本語のテキスト", "Ελληνικά и русский", "emoji 😀 and 🎉 too",
        "combining e\u0301 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢");
  }

  /** Text with words and characters absent from {@link #corpus()}; must encode without error. */
  protected String unseenText() {
    return "Zyzzyva quokkas juxtapose ☃ 🦓 ∰ xylophones";
  }

  /** Options that limit the vocabulary to at most {@code limit} ids, for {@link Capability#LEARNS_VOCABULARY}. */
  protected Map<String, Object> optionsWithVocabularyLimit(int limit) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " claims LEARNS_VOCABULARY but does not "
        + "override optionsWithVocabularyLimit");
  }

  /** Increasing limits for the vocabulary-limit test, each small enough to bind on {@link #corpus()}. */
  protected List<Integer> vocabularyLimits() {
    return List.of(12, 24, 48);
  }

  /** A new, untrained tokenizer built by the factory from {@code options}. */
  protected TextTokenizer create(Map<String, Object> options) {
    try (Rng rng = new Rng(1)) {
      Tokenizer t = factory().create(config(options),
          TestModels.context(new Dims(8, 2), ModelIO.languageModel(0, 8), DataType.FLOAT, rng));
      assertTrue(t instanceof TextTokenizer, factory().name() + " does not create a TextTokenizer");
      return (TextTokenizer) t;
    }
  }

  @Override
  protected abstract io.ablate.spi.ComponentFactory<C, Tokenizer> factory();

  /** A tokenizer built from {@code options} and trained on {@link #corpus()}. */
  protected TextTokenizer trained(Map<String, Object> options) {
    TextTokenizer t = create(options);
    t.train(corpus());
    return t;
  }

  protected static byte[] saved(Tokenizer tokenizer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      tokenizer.save(out);
    } catch (IOException e) {
      throw new AssertionError("save failed", e);
    }
    return out.toByteArray();
  }

  private Map<String, Object> defaults() {
    return exampleOptions().get(0);
  }

  private List<String> probes() {
    List<String> texts = new ArrayList<>(samples());
    texts.add(unseenText());
    texts.addAll(unicodeSamples());
    return texts;
  }

  @Test
  void specialTokensHoldIdsZeroToFive() {
    TextTokenizer untrained = create(defaults());
    TextTokenizer t = trained(defaults());
    for (SpecialToken s : SpecialToken.values()) {
      assertEquals(s.text(), t.token(s.id()), "token(" + s.id() + ") after training");
      assertEquals(s.text(), untrained.token(s.id()), "token(" + s.id() + ") before training");
    }
    assertTrue(t.vocabSize() > SpecialToken.COUNT, "vocabulary holds more than the special tokens: " + t.vocabSize());
  }

  /** Ordinary tokens (ids from 6) are distinct and non-empty; ids outside the vocabulary are rejected. */
  @Test
  void everyIdNamesADistinctToken() {
    for (Map<String, Object> options : exampleOptions()) {
      TextTokenizer t = trained(options);
      Set<String> seen = new HashSet<>();
      for (int id = SpecialToken.COUNT; id < t.vocabSize(); id++) {
        String token = t.token(id);
        assertTrue(token != null && !token.isEmpty(), "token(" + id + ") is empty, options " + options);
        assertTrue(seen.add(token), "token '" + token + "' appears twice (id " + id + "), options " + options);
      }
      assertThrows(RuntimeException.class, () -> t.token(-1), "token(-1)");
      assertThrows(RuntimeException.class, () -> t.token(t.vocabSize()), "token(vocabSize)");
    }
  }

  @Test
  void encodingGivesOrdinaryIdsInRange() {
    for (Map<String, Object> options : exampleOptions()) {
      TextTokenizer t = trained(options);
      for (String text : probes()) {
        for (int id : t.encode(text)) {
          assertTrue(id >= SpecialToken.COUNT && id < t.vocabSize(), "id " + id + " of '" + text + "' is not in ["
              + SpecialToken.COUNT + ", " + t.vocabSize() + "), options " + options);
        }
      }
    }
  }

  @Test
  void emptyTextEncodesToNoIds() {
    TextTokenizer t = trained(defaults());
    assertEquals(0, t.encode("").length);
    assertEquals("", t.decode(new int[0]));
  }

  @Test
  void decodingSkipsSpecialTokens() {
    TextTokenizer t = trained(defaults());
    for (String text : samples()) {
      int[] ids = t.encode(text);
      int[] framed = new int[ids.length + 5];
      framed[0] = SpecialToken.CLS.id();
      framed[1] = SpecialToken.BOS.id();
      System.arraycopy(ids, 0, framed, 2, ids.length);
      framed[ids.length + 2] = SpecialToken.SEP.id();
      framed[ids.length + 3] = SpecialToken.EOS.id();
      framed[ids.length + 4] = SpecialToken.PAD.id();
      assertEquals(t.decode(ids), t.decode(framed), "special tokens around '" + text + "'");
    }
  }

  @Test
  void roundTripsExactly() {
    Capabilities.require(capabilities(), Capability.LOSSLESS_ROUND_TRIP, factory().name());
    TextTokenizer t = trained(defaults());
    for (String text : samples()) {
      assertEquals(text, t.decode(t.encode(text)), "decode(encode(s)) for s = '" + text + "'");
    }
  }

  @Test
  void roundTripsUpToItsNormalisation() {
    for (Map<String, Object> options : exampleOptions()) {
      TextTokenizer t = trained(options);
      for (String text : samples()) {
        assertEquals(normalise(text, options), t.decode(t.encode(text)), "decode(encode(s)) for s = '" + text
            + "', options " + options);
      }
    }
  }

  @Test
  void roundTripsUnicodeItWasTrainedOn() {
    Capabilities.require(capabilities(), Capability.UNICODE, factory().name());
    List<String> corpus = new ArrayList<>(corpus());
    corpus.addAll(unicodeSamples());
    for (Map<String, Object> options : exampleOptions()) {
      TextTokenizer t = create(options);
      t.train(corpus);
      for (String text : unicodeSamples()) {
        String expected = capabilities().contains(Capability.LOSSLESS_ROUND_TRIP) ? text : normalise(text, options);
        assertEquals(expected, t.decode(t.encode(text)), "decode(encode(s)) for s = '" + text + "', options "
            + options);
      }
    }
  }

  @Test
  void roundTripsAnyTextExactly() {
    Capabilities.require(capabilities(), Capability.OPEN_VOCABULARY, factory().name());
    List<String> texts = new ArrayList<>(unicodeSamples());
    texts.add(unseenText());
    texts.addAll(List.of("  leading and trailing  ", "line\r\nbreaks\tand\u000btabs\n\n", "nul \u0000 and del \u007f",
        "ZWJ family 👨‍👩‍👧 flags 🇯🇵 skin 👍🏽", "RTL עברית العربية", "\uFEFFbom and \u00a0nbsp"));
    for (Map<String, Object> options : exampleOptions()) {
      TextTokenizer untrained = create(options);
      TextTokenizer t = trained(options);
      for (String text : texts) {
        assertEquals(text, t.decode(t.encode(text)), "trained: decode(encode(s)) for s = '" + text + "'");
        assertEquals(text, untrained.decode(untrained.encode(text)), "untrained: decode(encode(s)) for '" + text + "'");
      }
    }
  }

  @Test
  void saveAndLoadRestoreIdenticalBehaviour() throws IOException {
    for (Map<String, Object> options : exampleOptions()) {
      TextTokenizer original = trained(options);
      byte[] bytes = saved(original);
      TextTokenizer restored = create(defaults());               // the file, not the config, decides
      restored.load(new ByteArrayInputStream(bytes));
      assertEquals(original.vocabSize(), restored.vocabSize(), "vocabSize after load, options " + options);
      for (int id = 0; id < original.vocabSize(); id++) {
        assertEquals(original.token(id), restored.token(id), "token(" + id + ") after load, options " + options);
      }
      for (String text : probes()) {
        int[] ids = original.encode(text);
        assertArrayEquals(ids, restored.encode(text), "encode('" + text + "') after load, options " + options);
        assertEquals(original.decode(ids), restored.decode(ids), "decode after load, options " + options);
      }
      assertArrayEquals(bytes, saved(restored), "saving the loaded tokenizer gives the same bytes, options " + options);
    }
  }

  @Test
  void loadRejectsDataThatIsNotASavedTokenizer() {
    TextTokenizer t = create(defaults());
    byte[] junk = "this is not a saved tokenizer\n".getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> t.load(new ByteArrayInputStream(junk)));
    byte[] truncated = Arrays.copyOf(saved(trained(defaults())), 20);
    assertThrows(IOException.class, () -> create(defaults()).load(new ByteArrayInputStream(truncated)));
  }

  @Test
  void trainingIsDeterministic() {
    for (Map<String, Object> options : exampleOptions()) {
      TextTokenizer a = trained(options);
      TextTokenizer b = trained(options);
      assertArrayEquals(saved(a), saved(b), "two trainings on the same corpus, options " + options);
      for (String text : probes()) {
        assertArrayEquals(a.encode(text), b.encode(text), "encode('" + text + "'), options " + options);
      }
    }
  }

  @Test
  void retrainingReplacesTheVocabulary() {
    Capabilities.require(capabilities(), Capability.LEARNS_VOCABULARY, factory().name());
    TextTokenizer t = create(defaults());
    t.train(unicodeSamples());
    t.train(corpus());
    assertArrayEquals(saved(trained(defaults())), saved(t), "train(other) then train(corpus) equals train(corpus)");
  }

  @Test
  void vocabularyComesFromTheCorpus() {
    Capabilities.require(capabilities(), Capability.LEARNS_VOCABULARY, factory().name());
    TextTokenizer onCorpus = trained(defaults());
    TextTokenizer onOther = create(defaults());
    onOther.train(unicodeSamples());
    Map<String, Integer> a = vocabulary(onCorpus);
    Map<String, Integer> b = vocabulary(onOther);
    assertNotEquals(a.keySet(), b.keySet(), "different corpora give different vocabularies");
  }

  @Test
  void vocabularyLimitIsRespected() {
    Capabilities.require(capabilities(), Capability.LEARNS_VOCABULARY, factory().name());
    List<Integer> limits = vocabularyLimits();
    int previous = 0;
    int first = -1;
    for (int limit : limits) {
      Map<String, Object> options = optionsWithVocabularyLimit(limit);
      TextTokenizer t = trained(options);
      assertTrue(t.vocabSize() <= limit, "vocabSize " + t.vocabSize() + " exceeds the limit " + limit);
      assertTrue(t.vocabSize() >= previous, "a larger limit never shrinks the vocabulary");
      for (String text : probes()) {
        for (int id : t.encode(text)) {
          assertTrue(id >= 0 && id < t.vocabSize(), "id " + id + " under limit " + limit);
        }
      }
      previous = t.vocabSize();
      first = first < 0 ? t.vocabSize() : first;
    }
    assertTrue(previous > first, "the limits " + limits + " bind: vocabulary sizes " + first + " … " + previous);
  }

  @Test
  void encodingBeforeTrainingFailsClearly() {
    Capabilities.require(capabilities(), Capability.NEEDS_TRAINING, factory().name());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> create(defaults()).encode("text"));
    assertTrue(e.getMessage().contains("train"), "message says to train: " + e.getMessage());
  }

  @Test
  void capabilitiesAreConsistent() {
    if (capabilities().contains(Capability.OPEN_VOCABULARY) && capabilities().contains(Capability.NEEDS_TRAINING)) {
      fail("an open-vocabulary tokenizer encodes before training; it cannot also claim NEEDS_TRAINING");
    }
    assertFalse(samples().isEmpty(), "samples() is empty");
    assertFalse(corpus().isEmpty(), "corpus() is empty");
  }

  private static Map<String, Integer> vocabulary(TextTokenizer t) {
    Map<String, Integer> out = new HashMap<>();
    for (int id = 0; id < t.vocabSize(); id++) {
      out.put(t.token(id), id);
    }
    return out;
  }
}
