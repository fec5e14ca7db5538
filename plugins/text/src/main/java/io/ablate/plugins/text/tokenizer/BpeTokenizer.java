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
import java.util.List;
import java.util.Map;

/**
 * {@code bpe}: byte-pair encoding as in Sennrich, Haddow &amp; Birch (2016) and their subword-nmt.
 * Words are the whitespace-separated chunks of the text; each starts as its characters (code points)
 * with the end-of-word marker on the last one ({@code low} → {@code l o w</w>}); training repeatedly
 * merges the most frequent adjacent pair until the vocabulary reaches {@code vocab_size} or no pair
 * occurs {@code min_frequency} times. Ties go to the pair whose left, then right, token string sorts
 * first. If the characters alone exceed the budget, the most frequent are kept.
 *
 * <p>Encoding applies the merges in the order they were learned. Characters outside the alphabet
 * encode to [UNK] (decoded as U+FFFD; one at the end of a word also loses the word boundary).
 * Round trip: {@code decode(encode(s))} is {@code s} with its whitespace normalised (runs of
 * whitespace → one space, none at the ends).
 */
public final class BpeTokenizer implements TextTokenizer {
  static final String KIND = "bpe";
  /** Marks the last symbol of a word. */
  public static final String END_OF_WORD = "</w>";

  /** Options of {@code bpe}. */
  public record Config(
      @Doc("vocabulary size to reach: 6 special tokens, [UNK], the characters and the merges")
      @Default("1000") int vocabSize,
      @Doc("pairs occurring fewer times in the training text are not merged") @Default("2") int minFrequency) {
    public Config {
      if (vocabSize <= Vocabulary.UNKNOWN_ID + 1) {
        throw new IllegalArgumentException("vocab_size must exceed " + (Vocabulary.UNKNOWN_ID + 1)
            + " (6 special tokens and [UNK]), got " + vocabSize);
      }
      if (minFrequency < 1) {
        throw new IllegalArgumentException("min_frequency must be at least 1, got " + minFrequency);
      }
    }
  }

  public static final ComponentFactory<Config, Tokenizer> FACTORY = Factories.of(Family.TOKENIZER, KIND,
      "Classic BPE (Sennrich et al.): characters with an end-of-word marker, most frequent pairs merged",
      Config.class, (config, context) -> new BpeTokenizer(config));

  private final Config config;
  private Vocabulary vocabulary = Vocabulary.withUnknown();
  private MergeTable merges = new MergeTable();
  private final WordCache cache = new WordCache();
  private boolean trained;

  public BpeTokenizer(Config config) {
    this.config = config;
  }

  @Override
  public void train(List<String> corpus) {
    Map<String, Long> wordCounts = Corpus.count(corpus, Words::splitOnWhitespace);
    Vocabulary v = MergeTraining.initialSymbols(wordCounts, BpeTokenizer::symbols, config.vocabSize());
    use(v, MergeTraining.table(MergeTraining.train(wordCounts, MergeTraining.symbolIds(v, BpeTokenizer::symbols),
        v.reserved(), PairMerges.Score.FREQUENCY, config.minFrequency(), (a, b) -> v.token(a).compareTo(v.token(b)),
        (a, b) -> v.addIfAbsent(v.token(a) + v.token(b)), size -> size >= config.vocabSize(), v)));
  }

  @Override
  public int[] encode(String text) {
    requireTrained();
    IdBuffer ids = new IdBuffer();
    Words.splitOnWhitespace(text, word -> ids.addAll(cache.get(word, this::encodeWord)));
    return ids.toArray();
  }

  private int[] encodeWord(String word) {
    String[] symbols = symbols(word);
    int[] ids = new int[symbols.length];
    for (int i = 0; i < symbols.length; i++) {
      ids[i] = vocabulary.idOrUnknown(symbols[i]);
    }
    return merges.apply(ids);
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      String token = vocabulary.token(id);
      if (id == Vocabulary.UNKNOWN_ID) {
        sb.append(Vocabulary.UNKNOWN_TEXT);
      } else if (!vocabulary.isReserved(id)) {
        if (token.endsWith(END_OF_WORD)) {
          sb.append(token, 0, token.length() - END_OF_WORD.length()).append(' ');
        } else {
          sb.append(token);
        }
      }
    }
    if (sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 1);
    }
    return sb.toString();
  }

  /**
   * BPE with {@code </w>} as end-of-word suffix, each unknown character its own [UNK], over the
   * whitespace-separated words (see {@link HuggingFaceJson} for what differs).
   */
  @Override
  public Map<String, Object> huggingFaceJson() {
    requireTrained();
    return HuggingFaceJson.document(vocabulary, null, HuggingFaceJson.whitespaceSplit(),
        HuggingFaceJson.typed("BPE", "dropout", null, "unk_token", Vocabulary.UNKNOWN, "continuing_subword_prefix", null,
            "end_of_word_suffix", END_OF_WORD, "fuse_unk", false, "byte_fallback", false, "ignore_merges", false,
            "vocab", HuggingFaceJson.vocab(vocabulary), "merges", HuggingFaceJson.merges(vocabulary, merges.pairs())),
        HuggingFaceJson.typed("BPEDecoder", "suffix", END_OF_WORD));
  }

  @Override
  public int vocabSize() {
    return vocabulary.size();
  }

  @Override
  public String token(int id) {
    return vocabulary.token(id);
  }

  /** The learned merges as (left id, right id) in the order they were learned. */
  public List<int[]> merges() {
    return merges.pairs();
  }

  /** Format: header {@code bpe}, {@code vocab}, then {@code merges} as id pairs (see {@link TokenizerFile}). */
  @Override
  public void save(OutputStream out) throws IOException {
    requireTrained();
    TokenizerFile.write(out, KIND).tokens("vocab", vocabulary.tokens()).pairs("merges", merges.pairs()).end();
  }

  @Override
  public void load(InputStream in) throws IOException {
    TokenizerFile.Reader r = TokenizerFile.read(in, KIND);
    List<String> tokens = r.tokens("vocab");
    List<int[]> pairs = r.pairs("merges", tokens.size());
    r.end();
    try {
      Vocabulary v = Vocabulary.restore(tokens, true);
      use(v, restoreMerges(v, pairs));
    } catch (IllegalArgumentException e) {
      throw new IOException("saved bpe tokenizer: " + e.getMessage(), e);
    }
  }

  /** Rebuilds the merge table of a saved vocabulary: every merge's result must be a token. */
  static MergeTable restoreMerges(Vocabulary v, List<int[]> pairs) {
    MergeTable table = new MergeTable();
    for (int[] pair : pairs) {
      if (v.isReserved(pair[0]) || v.isReserved(pair[1])) {
        throw new IllegalArgumentException("merge " + pair[0] + " " + pair[1] + " involves a reserved token");
      }
      int result = v.id(v.token(pair[0]) + v.token(pair[1]));
      if (result < 0) {
        throw new IllegalArgumentException("merge " + pair[0] + " " + pair[1] + " gives '" + v.token(pair[0])
            + v.token(pair[1]) + "', which is not in the vocabulary");
      }
      table.add(pair[0], pair[1], result);
    }
    return table;
  }

  private void use(Vocabulary v, MergeTable table) {
    vocabulary = v;
    merges = table;
    cache.clear();
    trained = true;
  }

  /** The initial symbols of a word: its code points, the last one carrying {@link #END_OF_WORD}. */
  static String[] symbols(String word) {
    int[] cps = word.codePoints().toArray();
    String[] out = new String[cps.length];
    for (int i = 0; i < cps.length; i++) {
      out[i] = new String(Character.toChars(cps[i]));
    }
    out[cps.length - 1] += END_OF_WORD;
    return out;
  }

  private void requireTrained() {
    if (!trained) {
      throw new IllegalStateException("bpe tokenizer is not trained: call train(corpus) or load(stream) first");
    }
  }
}
