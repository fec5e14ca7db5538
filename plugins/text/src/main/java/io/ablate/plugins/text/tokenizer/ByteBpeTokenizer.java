package io.ablate.plugins.text.tokenizer;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code byte-bpe}: byte-level BPE as in GPT-2. Text is cut into chunks by GPT-2's pattern
 * (contractions, letters with one leading space, digits, other symbols, whitespace); each chunk is
 * its UTF-8 bytes, ids 6–261 being the 256 bytes; training merges the most frequent adjacent pair
 * within chunks until the vocabulary reaches {@code vocab_size} or no pair occurs
 * {@code min_frequency} times, ties going to the pair whose left, then right, byte string sorts first
 * (unsigned). Tokens are spelled with GPT-2's printable byte alphabet ({@code Ġthe}).
 *
 * <p>Every string of Unicode text encodes without an unknown token and decodes back exactly,
 * whitespace included, trained or not (untrained it is plain byte-level). Decoding an id sequence that
 * cuts a character's bytes yields U+FFFD there. Strings with unpaired UTF-16 surrogates are not
 * Unicode text; their surrogates encode as {@code ?}, as Java's UTF-8 encoder does.
 */
public final class ByteBpeTokenizer implements TextTokenizer {
  static final String KIND = "byte-bpe";
  /** Id of byte 0; byte b has id {@code FIRST_BYTE + b}. */
  public static final int FIRST_BYTE = SpecialToken.COUNT;
  /** Ids below this are special tokens or bytes; merges come after. */
  public static final int FIRST_MERGE = FIRST_BYTE + 256;
  /** GPT-2's pre-tokenization pattern, with Unicode-aware {@code \s}. */
  static final Pattern CHUNKS = Pattern.compile(
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
      Pattern.UNICODE_CHARACTER_CLASS);

  /** Options of {@code byte-bpe}. */
  public record Config(
      @Doc("vocabulary size to reach: 6 special tokens, 256 bytes and the merges (at least 262)")
      @Default("1000") int vocabSize,
      @Doc("pairs occurring fewer times in the training text are not merged") @Default("2") int minFrequency) {
    public Config {
      if (vocabSize < FIRST_MERGE) {
        throw new IllegalArgumentException("vocab_size must be at least " + FIRST_MERGE
            + " (6 special tokens and 256 bytes), got " + vocabSize);
      }
      if (minFrequency < 1) {
        throw new IllegalArgumentException("min_frequency must be at least 1, got " + minFrequency);
      }
    }
  }

  public static final ComponentFactory<Config, Tokenizer> FACTORY = Factories.of(Family.TOKENIZER, KIND,
      "Byte-level BPE (GPT-2): UTF-8 bytes plus learned merges; round-trips any text exactly", Config.class,
      (config, context) -> new ByteBpeTokenizer(config));

  private final Config config;
  private Vocabulary vocabulary = byteVocabulary();
  private MergeTable merges = new MergeTable();
  private final WordCache cache = new WordCache();

  public ByteBpeTokenizer(Config config) {
    this.config = config;
  }

  @Override
  public void train(List<String> corpus) {
    Map<String, Long> chunkCounts = Corpus.count(corpus, ByteBpeTokenizer::chunks);
    Vocabulary v = byteVocabulary();
    List<byte[]> bytesOf = new ArrayList<>();
    for (int id = 0; id < v.size(); id++) {
      bytesOf.add(id < FIRST_BYTE ? new byte[0] : new byte[] {(byte) (id - FIRST_BYTE)});
    }
    IntBinaryOperator merge = (a, b) -> {
      int id = v.addIfAbsent(v.token(a) + v.token(b));
      if (id == bytesOf.size()) {
        byte[] joined = Arrays.copyOf(bytesOf.get(a), bytesOf.get(a).length + bytesOf.get(b).length);
        System.arraycopy(bytesOf.get(b), 0, joined, bytesOf.get(a).length, bytesOf.get(b).length);
        bytesOf.add(joined);
      }
      return id;
    };
    use(v, MergeTraining.table(MergeTraining.train(chunkCounts, ByteBpeTokenizer::byteIds, FIRST_BYTE,
        PairMerges.Score.FREQUENCY, config.minFrequency(),
        (a, b) -> Arrays.compareUnsigned(bytesOf.get(a), bytesOf.get(b)), merge, size -> size >= config.vocabSize(),
        v)));
  }

  @Override
  public int[] encode(String text) {
    IdBuffer ids = new IdBuffer();
    chunks(text, chunk -> ids.addAll(cache.get(chunk, c -> merges.apply(byteIds(c)))));
    return ids.toArray();
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
    for (int id : ids) {
      String token = vocabulary.token(id);
      if (!vocabulary.isReserved(id)) {
        ByteUnicode.bytes(token, bytes);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * GPT-2's byte-level BPE: the ByteLevel pre-tokenizer (the same chunk pattern, GPT-2's byte
   * alphabet) and decoder, and the merges (see {@link HuggingFaceJson} for what differs).
   */
  @Override
  public Map<String, Object> huggingFaceJson() {
    Map<String, Object> byteLevel = HuggingFaceJson.typed("ByteLevel", "add_prefix_space", false, "trim_offsets", true,
        "use_regex", true);
    return HuggingFaceJson.document(vocabulary, null, byteLevel,
        HuggingFaceJson.typed("BPE", "dropout", null, "unk_token", null, "continuing_subword_prefix", null,
            "end_of_word_suffix", null, "fuse_unk", false, "byte_fallback", false, "ignore_merges", false,
            "vocab", HuggingFaceJson.vocab(vocabulary), "merges", HuggingFaceJson.merges(vocabulary, merges.pairs())),
        byteLevel);
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

  /**
   * Format: header {@code byte-bpe}, {@code vocab} (ids 6–261 are the bytes spelled GPT-2 style),
   * then {@code merges} as id pairs (see {@link TokenizerFile}).
   */
  @Override
  public void save(OutputStream out) throws IOException {
    TokenizerFile.write(out, KIND).tokens("vocab", vocabulary.tokens()).pairs("merges", merges.pairs()).end();
  }

  @Override
  public void load(InputStream in) throws IOException {
    TokenizerFile.Reader r = TokenizerFile.read(in, KIND);
    List<String> tokens = r.tokens("vocab");
    List<int[]> pairs = r.pairs("merges", tokens.size());
    r.end();
    try {
      Vocabulary v = Vocabulary.restore(tokens, false);
      for (int b = 0; b < 256; b++) {
        if (v.size() <= FIRST_BYTE + b || !v.token(FIRST_BYTE + b).equals(ByteUnicode.spell(b))) {
          throw new IllegalArgumentException("id " + (FIRST_BYTE + b) + " must be byte " + b);
        }
      }
      for (int id = FIRST_MERGE; id < v.size(); id++) {
        ByteUnicode.bytes(v.token(id));
      }
      use(v, BpeTokenizer.restoreMerges(v, pairs));
    } catch (IllegalArgumentException e) {
      throw new IOException("saved byte-bpe tokenizer: " + e.getMessage(), e);
    }
  }

  private void use(Vocabulary v, MergeTable table) {
    vocabulary = v;
    merges = table;
    cache.clear();
  }

  /** Streams the chunks of {@code text}; together they are exactly the text. */
  static void chunks(String text, Consumer<String> sink) {
    Matcher m = CHUNKS.matcher(text);
    int end = 0;
    while (m.find()) {
      if (m.start() > end) {
        sink.accept(text.substring(end, m.start()));
      }
      if (m.end() > m.start()) {
        sink.accept(m.group());
      }
      end = m.end();
    }
    if (end < text.length()) {
      sink.accept(text.substring(end));
    }
  }

  private static int[] byteIds(String chunk) {
    byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = FIRST_BYTE + (bytes[i] & 0xFF);
    }
    return ids;
  }

  private static Vocabulary byteVocabulary() {
    Vocabulary v = Vocabulary.closed();
    for (int b = 0; b < 256; b++) {
      v.add(ByteUnicode.spell(b));
    }
    return v;
  }
}
