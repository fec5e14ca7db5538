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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code char}: one token per Unicode code point (so an emoji outside the BMP is one token, not two
 * UTF-16 halves). The vocabulary is the characters of the training text, most frequent first; with
 * {@code max_vocab} only the most frequent are kept. Characters outside the vocabulary encode to
 * [UNK], which decodes to U+FFFD. {@code decode(encode(s)) == s} exactly for text made of vocabulary
 * characters, whitespace and line breaks included.
 */
public final class CharTokenizer implements TextTokenizer {
  static final String KIND = "char";

  /** Options of {@code char}. */
  public record Config(
      @Doc("largest vocabulary size, the 6 special tokens and [UNK] included; the most frequent characters "
          + "are kept (null: every character of the training text)") @Default(Default.NULL) Integer maxVocab) {
    public Config {
      if (maxVocab != null && maxVocab <= Vocabulary.UNKNOWN_ID + 1) {
        throw new IllegalArgumentException("max_vocab must exceed " + (Vocabulary.UNKNOWN_ID + 1)
            + " (6 special tokens and [UNK]) to hold any character, got " + maxVocab);
      }
    }
  }

  public static final ComponentFactory<Config, Tokenizer> FACTORY = Factories.of(Family.TOKENIZER, KIND,
      "Characters (Unicode code points) of the training text; unseen ones map to [UNK]", Config.class,
      (config, context) -> new CharTokenizer(config));

  private final Config config;
  private Vocabulary vocabulary = Vocabulary.withUnknown();
  private Map<Integer, Integer> idOfCodePoint = Map.of();
  private boolean trained;

  public CharTokenizer(Config config) {
    this.config = config;
  }

  @Override
  public void train(List<String> corpus) {
    Map<String, Long> counts = Corpus.count(corpus, (text, sink) -> text.codePoints()
        .forEach(cp -> sink.accept(new String(Character.toChars(cp)))));
    Vocabulary v = Vocabulary.withUnknown();
    int limit = config.maxVocab() == null ? Integer.MAX_VALUE : config.maxVocab();
    for (Map.Entry<String, Long> e : Corpus.byFrequency(counts)) {
      if (v.size() >= limit) {
        break;
      }
      v.add(e.getKey());
    }
    use(v);
  }

  @Override
  public int[] encode(String text) {
    requireTrained();
    return text.codePoints().map(cp -> idOfCodePoint.getOrDefault(cp, Vocabulary.UNKNOWN_ID)).toArray();
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder(ids.length);
    for (int id : ids) {
      String token = vocabulary.token(id);
      if (id == Vocabulary.UNKNOWN_ID) {
        sb.append(Vocabulary.UNKNOWN_TEXT);
      } else if (!vocabulary.isReserved(id)) {
        sb.append(token);
      }
    }
    return sb.toString();
  }

  /** WordLevel over single code points (see {@link HuggingFaceJson} for what differs). */
  @Override
  public Map<String, Object> huggingFaceJson() {
    requireTrained();
    return HuggingFaceJson.document(vocabulary, null, HuggingFaceJson.characterSplit(),
        HuggingFaceJson.typed("WordLevel", "vocab", HuggingFaceJson.vocab(vocabulary), "unk_token", Vocabulary.UNKNOWN),
        HuggingFaceJson.typed("Fuse"));
  }

  @Override
  public int vocabSize() {
    return vocabulary.size();
  }

  @Override
  public String token(int id) {
    return vocabulary.token(id);
  }

  /** Format: header {@code char}, then {@code vocab} (see {@link TokenizerFile}). */
  @Override
  public void save(OutputStream out) throws IOException {
    requireTrained();
    TokenizerFile.write(out, KIND).tokens("vocab", vocabulary.tokens()).end();
  }

  @Override
  public void load(InputStream in) throws IOException {
    TokenizerFile.Reader r = TokenizerFile.read(in, KIND);
    List<String> tokens = r.tokens("vocab");
    r.end();
    Vocabulary v;
    try {
      v = Vocabulary.restore(tokens, true);
    } catch (IllegalArgumentException e) {
      throw new IOException("saved char tokenizer: " + e.getMessage(), e);
    }
    for (int id = Vocabulary.UNKNOWN_ID + 1; id < v.size(); id++) {
      if (v.token(id).codePointCount(0, v.token(id).length()) != 1) {
        throw new IOException("saved char tokenizer: token " + id + " '" + v.token(id) + "' is not one character");
      }
    }
    use(v);
  }

  private void use(Vocabulary v) {
    Map<Integer, Integer> map = new HashMap<>();
    for (int id = Vocabulary.UNKNOWN_ID + 1; id < v.size(); id++) {
      map.put(v.token(id).codePointAt(0), id);
    }
    this.vocabulary = v;
    this.idOfCodePoint = map;
    this.trained = true;
  }

  private void requireTrained() {
    if (!trained) {
      throw new IllegalStateException("char tokenizer is not trained: call train(corpus) or load(stream) first");
    }
  }
}
