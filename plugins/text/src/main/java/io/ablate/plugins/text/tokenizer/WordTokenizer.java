package io.ablate.plugins.text.tokenizer;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code word}: words and punctuation marks as tokens (see {@link Words#split}), optionally
 * lower-cased; the vocabulary is the words of the training text occurring at least {@code min_count}
 * times, most frequent first, at most {@code max_vocab}. Other words encode to [UNK] (decoded as
 * U+FFFD).
 *
 * <p>Round trip: decoding rejoins tokens with {@link Words#join}, so {@code decode(encode(s)) == s}
 * for text of vocabulary words written with single spaces, punctuation attached to the word before
 * it and brackets to the word after; other spacing is normalised (whitespace runs → one space, none at
 * the ends, no spaces around {@code '}), and with {@code lower_case} the text comes back lower-cased.
 */
public final class WordTokenizer implements TextTokenizer {
  static final String KIND = "word";

  /** Options of {@code word}. */
  public record Config(
      @Doc("lower-case words (Locale.ROOT) before counting and encoding") @Default("false") boolean lowerCase,
      @Doc("words seen fewer times in the training text map to [UNK]") @Default("1") int minCount,
      @Doc("largest vocabulary size, the 6 special tokens and [UNK] included (null: no limit)")
      @Default(Default.NULL) Integer maxVocab) {
    public Config {
      if (minCount < 1) {
        throw new IllegalArgumentException("min_count must be at least 1, got " + minCount);
      }
      if (maxVocab != null && maxVocab <= Vocabulary.UNKNOWN_ID + 1) {
        throw new IllegalArgumentException("max_vocab must exceed " + (Vocabulary.UNKNOWN_ID + 1)
            + " (6 special tokens and [UNK]) to hold any word, got " + maxVocab);
      }
    }
  }

  public static final ComponentFactory<Config, Tokenizer> FACTORY = Factories.of(Family.TOKENIZER, KIND,
      "Words and punctuation marks, vocabulary by frequency; unseen words map to [UNK]", Config.class,
      (config, context) -> new WordTokenizer(config));

  private final Config config;
  private boolean lowerCase;
  private Vocabulary vocabulary = Vocabulary.withUnknown();
  private boolean trained;

  public WordTokenizer(Config config) {
    this.config = config;
    this.lowerCase = config.lowerCase();
  }

  @Override
  public void train(List<String> corpus) {
    lowerCase = config.lowerCase();
    Map<String, Long> counts = Corpus.count(corpus, (text, sink) -> Words.split(text, w -> sink.accept(normal(w))));
    Vocabulary v = Vocabulary.withUnknown();
    int limit = config.maxVocab() == null ? Integer.MAX_VALUE : config.maxVocab();
    for (Map.Entry<String, Long> e : Corpus.byFrequency(counts)) {
      if (v.size() >= limit || e.getValue() < config.minCount()) {
        break;
      }
      v.add(e.getKey());
    }
    vocabulary = v;
    trained = true;
  }

  @Override
  public int[] encode(String text) {
    requireTrained();
    IdBuffer ids = new IdBuffer();
    Words.split(text, w -> ids.add(vocabulary.idOrUnknown(normal(w))));
    return ids.toArray();
  }

  @Override
  public String decode(int[] ids) {
    List<String> words = new ArrayList<>(ids.length);
    for (int id : ids) {
      String token = vocabulary.token(id);
      if (id == Vocabulary.UNKNOWN_ID) {
        words.add(Vocabulary.UNKNOWN_TEXT);
      } else if (!vocabulary.isReserved(id)) {
        words.add(token);
      }
    }
    return Words.join(words);
  }

  /** WordLevel over {@link Words#split}'s tokens (see {@link HuggingFaceJson} for what differs). */
  @Override
  public Map<String, Object> huggingFaceJson() {
    requireTrained();
    return HuggingFaceJson.document(vocabulary, HuggingFaceJson.lowercase(lowerCase), HuggingFaceJson.wordSplit(),
        HuggingFaceJson.typed("WordLevel", "vocab", HuggingFaceJson.vocab(vocabulary), "unk_token", Vocabulary.UNKNOWN),
        HuggingFaceJson.typed("WordPiece", "prefix", "##", "cleanup", true));
  }

  @Override
  public int vocabSize() {
    return vocabulary.size();
  }

  @Override
  public String token(int id) {
    return vocabulary.token(id);
  }

  /** Format: header {@code word}, option {@code lower_case}, then {@code vocab} (see {@link TokenizerFile}). */
  @Override
  public void save(OutputStream out) throws IOException {
    requireTrained();
    TokenizerFile.write(out, KIND).option("lower_case", lowerCase).tokens("vocab", vocabulary.tokens()).end();
  }

  @Override
  public void load(InputStream in) throws IOException {
    TokenizerFile.Reader r = TokenizerFile.read(in, KIND);
    boolean savedLowerCase = r.booleanOption("lower_case");
    List<String> tokens = r.tokens("vocab");
    r.end();
    try {
      vocabulary = Vocabulary.restore(tokens, true);
    } catch (IllegalArgumentException e) {
      throw new IOException("saved word tokenizer: " + e.getMessage(), e);
    }
    lowerCase = savedLowerCase;
    trained = true;
  }

  private String normal(String word) {
    return lowerCase ? word.toLowerCase(Locale.ROOT) : word;
  }

  private void requireTrained() {
    if (!trained) {
      throw new IllegalStateException("word tokenizer is not trained: call train(corpus) or load(stream) first");
    }
  }
}
