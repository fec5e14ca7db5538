package io.ablate.plugins.text;

import io.ablate.plugins.text.embedding.Word2Vec;
import io.ablate.plugins.text.tokenizer.BpeTokenizer;
import io.ablate.plugins.text.tokenizer.ByteBpeTokenizer;
import io.ablate.plugins.text.tokenizer.CharTokenizer;
import io.ablate.plugins.text.tokenizer.WordPieceTokenizer;
import io.ablate.plugins.text.tokenizer.WordTokenizer;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.TokenCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Training and encoding time of each tokenizer on a real text, and one word2vec epoch over its BPE
 * encoding. Not a test: skipped unless {@code -Dablate.text.bench=/path/to/text.txt} is given, e.g.
 * <pre>
 * mvn -B -q -o -pl plugins/text -am test -Dtest=TrainingTimeBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dablate.text.bench=/usr/local/go/src/testdata/Isaac.Newton-Opticks.txt
 * </pre>
 */
@EnabledIfSystemProperty(named = "ablate.text.bench", matches = ".+")
class TrainingTimeBenchmark {
  private static final int MERGES = 2000;

  @Test
  void trainOnRealText() throws IOException {
    Path file = Path.of(System.getProperty("ablate.text.bench"));
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    long bytes = Files.size(file);
    System.out.printf("%n%s: %.2f MB, %d lines%n", file, bytes / 1e6, lines.size());
    int bpeAlphabet = bpeAlphabet(lines);
    int wordPieceAlphabet = wordPieceAlphabet(lines);
    time("char", () -> new CharTokenizer(new CharTokenizer.Config(null)), lines);
    time("word", () -> new WordTokenizer(new WordTokenizer.Config(false, 1, null)), lines);
    BpeTokenizer bpe = (BpeTokenizer) time("bpe (" + MERGES + " merges)",
        () -> new BpeTokenizer(new BpeTokenizer.Config(7 + bpeAlphabet + MERGES, 2)), lines);
    System.out.printf("  bpe: alphabet %d, merges learned %d%n", bpeAlphabet, bpe.merges().size());
    time("wordpiece (" + MERGES + " merges)",
        () -> new WordPieceTokenizer(new WordPieceTokenizer.Config(7 + wordPieceAlphabet + MERGES, 2, false, 100)),
        lines);
    ByteBpeTokenizer byteBpe = (ByteBpeTokenizer) time("byte-bpe (" + MERGES + " merges)",
        () -> new ByteBpeTokenizer(new ByteBpeTokenizer.Config(ByteBpeTokenizer.FIRST_MERGE + MERGES, 2)), lines);
    System.out.printf("  byte-bpe: merges learned %d%n", byteBpe.merges().size());

    List<int[]> sequences = new ArrayList<>();
    long tokens = 0;
    for (String line : lines) {
      int[] ids = bpe.encode(line);
      if (ids.length > 0) {
        sequences.add(ids);
        tokens += ids.length;
      }
    }
    TokenCorpus corpus = new TokenCorpus(sequences, bpe.vocabSize());
    for (Word2Vec.Method method : Word2Vec.Method.values()) {
      long start = System.nanoTime();
      Word2Vec.Result r = Word2Vec.train(corpus, bpe.vocabSize(), 64,
          new Word2Vec.Settings(method, 5, 5, 1, 0.025, 1e-3), 1);
      System.out.printf("  word2vec %s, D=64, window 5, 5 negatives, 1 epoch over %d bpe tokens: %.2f s (loss %.3f)%n",
          method, tokens, (System.nanoTime() - start) / 1e9, r.epochLoss()[0]);
    }
  }

  private static TextTokenizer time(String name, Supplier<TextTokenizer> make, List<String> lines) {
    TextTokenizer t = null;
    double[] seconds = new double[2];
    for (int run = 0; run < 2; run++) {                     // first run includes JIT warm-up
      t = make.get();
      long start = System.nanoTime();
      t.train(lines);
      seconds[run] = (System.nanoTime() - start) / 1e9;
    }
    long start = System.nanoTime();
    long ids = 0;
    for (String line : lines) {
      ids += t.encode(line).length;
    }
    double encode = (System.nanoTime() - start) / 1e9;
    System.out.printf("  %-26s train %.2f s (second run %.2f s), vocab %d; encode all: %.2f s, %d ids%n", name,
        seconds[0], seconds[1], t.vocabSize(), encode, ids);
    return t;
  }

  /** Distinct initial BPE symbols: characters, and last characters with the end-of-word marker. */
  private static int bpeAlphabet(List<String> lines) {
    Set<String> symbols = new HashSet<>();
    for (String line : lines) {
      for (String word : line.trim().split("\\s+")) {
        if (!word.isEmpty()) {
          int[] cps = word.codePoints().toArray();
          for (int i = 0; i < cps.length; i++) {
            symbols.add(new String(Character.toChars(cps[i])) + (i == cps.length - 1 ? BpeTokenizer.END_OF_WORD : ""));
          }
        }
      }
    }
    return symbols.size();
  }

  /** Distinct initial WordPiece symbols: characters and ##characters. */
  private static int wordPieceAlphabet(List<String> lines) {
    Set<String> symbols = new HashSet<>();
    for (String line : lines) {
      for (String word : io.ablate.plugins.text.tokenizer.Words.split(line)) {
        int[] cps = word.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
          symbols.add((i == 0 ? "" : WordPieceTokenizer.CONTINUATION) + new String(Character.toChars(cps[i])));
        }
      }
    }
    return symbols.size();
  }
}
