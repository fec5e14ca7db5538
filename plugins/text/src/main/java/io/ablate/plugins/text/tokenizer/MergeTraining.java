package io.ablate.plugins.text.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.IntPredicate;

/**
 * The one training loop of the merge-based tokenizers (bpe, wordpiece, byte-bpe): the corpus's distinct
 * words (or chunks) as symbol-id sequences with their counts, then {@link PairMerges} until the
 * vocabulary is full. The tokenizers differ only in their first symbols, how symbols order and join,
 * and how pairs are scored.
 */
final class MergeTraining {
  private MergeTraining() {}

  /** A vocabulary of [UNK] and the specials plus the most frequent first symbols, at most {@code vocabSize}. */
  static Vocabulary initialSymbols(Map<String, Long> wordCounts, Function<String, String[]> symbols, int vocabSize) {
    Map<String, Long> symbolCounts = new HashMap<>();
    wordCounts.forEach((word, n) -> {
      for (String symbol : symbols.apply(word)) {
        symbolCounts.merge(symbol, n, Long::sum);
      }
    });
    Vocabulary v = Vocabulary.withUnknown();
    for (Map.Entry<String, Long> e : Corpus.byFrequency(symbolCounts)) {
      if (v.size() >= vocabSize) {
        break;
      }
      v.add(e.getKey());
    }
    return v;
  }

  /** Every word as the ids of its symbols ([UNK] for a symbol not in {@code v}). */
  static Function<String, int[]> symbolIds(Vocabulary v, Function<String, String[]> symbols) {
    return word -> {
      String[] s = symbols.apply(word);
      int[] ids = new int[s.length];
      for (int i = 0; i < s.length; i++) {
        ids[i] = v.idOrUnknown(s[i]);
      }
      return ids;
    };
  }

  /**
   * Learns merges over the counted words until {@code full} says stop.
   *
   * @param ids a word's initial symbol ids
   * @param firstMergeable ids below this (specials, [UNK]) never merge
   * @param compare a total order on symbol ids, for ties
   * @param merge the id of the joined symbol (added to the vocabulary when new)
   */
  static List<PairMerges.Merge> train(Map<String, Long> wordCounts, Function<String, int[]> ids, int firstMergeable,
      PairMerges.Score score, long minFrequency, IntBinaryOperator compare, IntBinaryOperator merge,
      IntPredicate fullAtSize, Vocabulary v) {
    int[][] words = new int[wordCounts.size()][];
    long[] frequencies = new long[wordCounts.size()];
    int w = 0;
    for (Map.Entry<String, Long> e : wordCounts.entrySet()) {
      words[w] = ids.apply(e.getKey());
      frequencies[w++] = e.getValue();
    }
    PairMerges.Symbols rules = new PairMerges.Symbols() {
      @Override
      public int compare(int a, int b) {
        return compare.applyAsInt(a, b);
      }

      @Override
      public int merge(int a, int b) {
        return merge.applyAsInt(a, b);
      }

      @Override
      public boolean full() {
        return fullAtSize.test(v.size());
      }
    };
    return new PairMerges(words, frequencies, firstMergeable, score, minFrequency, rules).run();
  }

  /** The learned merges as the table encoding applies. */
  static MergeTable table(List<PairMerges.Merge> merges) {
    MergeTable table = new MergeTable();
    for (PairMerges.Merge m : merges) {
      table.add(m.left(), m.right(), m.result());
    }
    return table;
  }
}
