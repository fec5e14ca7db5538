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
 * {@code wordpiece}: WordPiece as in BERT. Text is split into words and punctuation marks
 * ({@link Words#split}, optionally lower-cased); a piece that continues a word is written with the
 * prefix {@code ##} ({@code playing} → {@code play ##ing}).
 *
 * <p>Training (the algorithm of the Hugging Face course): each word starts as its first character and
 * {@code ##}-prefixed following characters; the adjacent pair with the highest likelihood score
 * {@code count(ab) / (count(a)·count(b))} is merged until the vocabulary reaches {@code vocab_size}
 * or no pair occurs {@code min_frequency} times. Ties go to the pair whose left, then right, token
 * sorts first. If the characters alone exceed the budget, the most frequent are kept.
 *
 * <p>Encoding is greedy longest-match-first within each word; a word that cannot be covered by
 * vocabulary pieces, or longer than {@code max_input_chars_per_word}, becomes one [UNK] (decoded as
 * U+FFFD). Round trip: decoding glues {@code ##} pieces to the previous piece and rejoins words as
 * {@link Words#join} does, so it normalises spacing exactly like {@code word}.
 */
public final class WordPieceTokenizer implements TextTokenizer {
  static final String KIND = "wordpiece";
  /** Prefix of a piece that continues a word. */
  public static final String CONTINUATION = "##";

  /** Options of {@code wordpiece}. */
  public record Config(
      @Doc("vocabulary size to reach: 6 special tokens, [UNK], the characters and the merged pieces")
      @Default("1000") int vocabSize,
      @Doc("pairs occurring fewer times in the training text are not merged") @Default("2") int minFrequency,
      @Doc("lower-case words (Locale.ROOT) before training and encoding") @Default("false") boolean lowerCase,
      @Doc("longer words encode to [UNK]") @Default("100") int maxInputCharsPerWord) {
    public Config {
      if (vocabSize <= Vocabulary.UNKNOWN_ID + 1) {
        throw new IllegalArgumentException("vocab_size must exceed " + (Vocabulary.UNKNOWN_ID + 1)
            + " (6 special tokens and [UNK]), got " + vocabSize);
      }
      if (minFrequency < 1) {
        throw new IllegalArgumentException("min_frequency must be at least 1, got " + minFrequency);
      }
      if (maxInputCharsPerWord < 1) {
        throw new IllegalArgumentException("max_input_chars_per_word must be at least 1, got "
            + maxInputCharsPerWord);
      }
    }
  }

  public static final ComponentFactory<Config, Tokenizer> FACTORY = Factories.of(Family.TOKENIZER, KIND,
      "WordPiece (BERT): ## continuation pieces, likelihood-scored merges, greedy longest-match encoding",
      Config.class, (config, context) -> new WordPieceTokenizer(config));

  private final Config config;
  private boolean lowerCase;
  private int maxInputChars;
  private Vocabulary vocabulary = Vocabulary.withUnknown();
  private final WordCache cache = new WordCache();
  private boolean trained;

  public WordPieceTokenizer(Config config) {
    this.config = config;
    this.lowerCase = config.lowerCase();
    this.maxInputChars = config.maxInputCharsPerWord();
  }

  @Override
  public void train(List<String> corpus) {
    lowerCase = config.lowerCase();
    maxInputChars = config.maxInputCharsPerWord();
    Map<String, Long> wordCounts = Corpus.count(corpus, (text, sink) -> Words.split(text, w -> sink.accept(normal(w))));
    Vocabulary v = MergeTraining.initialSymbols(wordCounts, WordPieceTokenizer::symbols, config.vocabSize());
    MergeTraining.train(wordCounts, MergeTraining.symbolIds(v, WordPieceTokenizer::symbols), v.reserved(),
        PairMerges.Score.LIKELIHOOD, config.minFrequency(), (a, b) -> v.token(a).compareTo(v.token(b)),
        (a, b) -> v.addIfAbsent(join(v.token(a), v.token(b))), size -> size >= config.vocabSize(), v);
    use(v);
  }

  @Override
  public int[] encode(String text) {
    requireTrained();
    IdBuffer ids = new IdBuffer();
    Words.split(text, word -> ids.addAll(cache.get(normal(word), this::encodeWord)));
    return ids.toArray();
  }

  /** Greedy longest-match-first; the whole word is [UNK] if some position matches no piece. */
  private int[] encodeWord(String word) {
    int[] offsets = word.codePoints().map(Character::charCount).toArray();
    if (offsets.length > maxInputChars) {
      return new int[] {Vocabulary.UNKNOWN_ID};
    }
    int[] starts = new int[offsets.length + 1];                // char index of each code point, and the end
    for (int i = 0; i < offsets.length; i++) {
      starts[i + 1] = starts[i] + offsets[i];
    }
    IdBuffer pieces = new IdBuffer();
    int start = 0;
    while (start < offsets.length) {
      int found = -1;
      int end = offsets.length;
      for (; end > start; end--) {
        String piece = word.substring(starts[start], starts[end]);
        found = vocabulary.id(start == 0 ? piece : CONTINUATION + piece);
        if (found >= 0) {
          break;
        }
      }
      if (found < 0) {
        return new int[] {Vocabulary.UNKNOWN_ID};
      }
      pieces.add(found);
      start = end;
    }
    return pieces.toArray();
  }

  @Override
  public String decode(int[] ids) {
    List<String> words = new ArrayList<>();
    StringBuilder current = null;
    for (int id : ids) {
      String token = vocabulary.token(id);
      if (vocabulary.isReserved(id) && id != Vocabulary.UNKNOWN_ID) {
        continue;
      }
      if (id != Vocabulary.UNKNOWN_ID && token.startsWith(CONTINUATION) && current != null) {
        current.append(token, CONTINUATION.length(), token.length());
        continue;
      }
      if (current != null) {
        words.add(current.toString());
      }
      current = new StringBuilder(id == Vocabulary.UNKNOWN_ID ? Vocabulary.UNKNOWN_TEXT
          : token.startsWith(CONTINUATION) ? token.substring(CONTINUATION.length()) : token);
    }
    if (current != null) {
      words.add(current.toString());
    }
    return Words.join(words);
  }

  /**
   * WordPiece (greedy longest match, {@code ##} continuations, whole word [UNK] when a position
   * matches nothing or the word is too long) over {@link Words#split}'s words (see
   * {@link HuggingFaceJson} for what differs).
   */
  @Override
  public Map<String, Object> huggingFaceJson() {
    requireTrained();
    return HuggingFaceJson.document(vocabulary, HuggingFaceJson.lowercase(lowerCase), HuggingFaceJson.wordSplit(),
        HuggingFaceJson.typed("WordPiece", "unk_token", Vocabulary.UNKNOWN, "continuing_subword_prefix", CONTINUATION,
            "max_input_chars_per_word", maxInputChars, "vocab", HuggingFaceJson.vocab(vocabulary)),
        HuggingFaceJson.typed("WordPiece", "prefix", CONTINUATION, "cleanup", true));
  }

  @Override
  public int vocabSize() {
    return vocabulary.size();
  }

  @Override
  public String token(int id) {
    return vocabulary.token(id);
  }

  /**
   * Format: header {@code wordpiece}, options {@code lower_case} and {@code max_input_chars_per_word},
   * then {@code vocab} (see {@link TokenizerFile}).
   */
  @Override
  public void save(OutputStream out) throws IOException {
    requireTrained();
    TokenizerFile.write(out, KIND).option("lower_case", lowerCase).option("max_input_chars_per_word", maxInputChars)
        .tokens("vocab", vocabulary.tokens()).end();
  }

  @Override
  public void load(InputStream in) throws IOException {
    TokenizerFile.Reader r = TokenizerFile.read(in, KIND);
    boolean savedLowerCase = r.booleanOption("lower_case");
    int savedMaxChars = r.intOption("max_input_chars_per_word");
    List<String> tokens = r.tokens("vocab");
    r.end();
    if (savedMaxChars < 1) {
      throw new IOException("saved wordpiece tokenizer: max_input_chars_per_word must be at least 1");
    }
    Vocabulary v;
    try {
      v = Vocabulary.restore(tokens, true);
    } catch (IllegalArgumentException e) {
      throw new IOException("saved wordpiece tokenizer: " + e.getMessage(), e);
    }
    lowerCase = savedLowerCase;
    maxInputChars = savedMaxChars;
    use(v);
  }

  private void use(Vocabulary v) {
    vocabulary = v;
    cache.clear();
    trained = true;
  }

  /** The text of piece {@code a} followed by piece {@code b}: {@code ##b}'s prefix is dropped. */
  static String join(String a, String b) {
    return a + (b.startsWith(CONTINUATION) ? b.substring(CONTINUATION.length()) : b);
  }

  /** The initial symbols of a word: its first code point, then each following one with {@code ##}. */
  static String[] symbols(String word) {
    int[] cps = word.codePoints().toArray();
    String[] out = new String[cps.length];
    for (int i = 0; i < cps.length; i++) {
      String c = new String(Character.toChars(cps[i]));
      out[i] = i == 0 ? c : CONTINUATION + c;
    }
    return out;
  }

  private String normal(String word) {
    return lowerCase ? word.toLowerCase(Locale.ROOT) : word;
  }

  private void requireTrained() {
    if (!trained) {
      throw new IllegalStateException("wordpiece tokenizer is not trained: call train(corpus) or load(stream) first");
    }
  }
}
