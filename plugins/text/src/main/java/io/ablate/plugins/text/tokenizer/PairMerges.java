package io.ablate.plugins.text.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns merges of adjacent symbols over a table of distinct words (each a symbol sequence with a
 * frequency), as BPE and WordPiece training do, with incremental statistics: pair counts, the words
 * each pair occurs in, and a priority queue of candidates. A merge rewrites only the words that
 * contain the merged pair and updates the counts of the pairs it changed; the corpus is never
 * re-scanned.
 *
 * <p>Candidates are ranked by score (pair frequency for BPE; {@code count(ab) / (count(a)·count(b))}
 * for WordPiece), ties broken by the caller's symbol order on the left symbol, then the right one, so
 * training is deterministic and independent of the order of the words. Stale queue entries (whose
 * pair's score has changed since) are discarded when popped; every pair whose score changes is
 * pushed again with its new score.
 */
public final class PairMerges {
  /** How a candidate pair is scored. */
  public enum Score {
    /** Occurrences of the pair (BPE). */
    FREQUENCY,
    /** Occurrences of the pair divided by the product of its symbols' occurrences (WordPiece). */
    LIKELIHOOD
  }

  /** The caller's side: the symbol order for ties, the id of a merged symbol, and when to stop. */
  public interface Symbols {
    /** A total order on symbols, for tie-breaking (e.g. by token string). */
    int compare(int a, int b);

    /** The id of the symbol {@code a·b}: a new id, or an existing one when the text is already a symbol. */
    int merge(int a, int b);

    /** True when no more merges are wanted (e.g. the vocabulary is full). */
    boolean full();
  }

  /** One learned merge: {@code left·right → result}, applied to {@code count} occurrences. */
  public record Merge(int left, int right, int result, long count) {}

  private final int[][] words;
  private final long[] frequencies;
  private final int firstMergeable;
  private final Score score;
  private final long minCount;
  private final Symbols symbols;
  private final Map<Long, Pair> pairs = new HashMap<>();
  private final Map<Integer, Set<Long>> pairsOfSymbol = new HashMap<>();
  private final PriorityQueue<Candidate> queue;
  private final int[] visited;
  private long[] symbolCounts = new long[64];
  private int mergeNumber;

  /**
   * @param words the symbol sequence of each distinct word (rewritten in place as merges apply)
   * @param frequencies how often each word occurs
   * @param firstMergeable symbols below this id (special tokens, [UNK]) never take part in a pair
   * @param minCount pairs occurring fewer times are never merged
   */
  public PairMerges(int[][] words, long[] frequencies, int firstMergeable, Score score, long minCount,
      Symbols symbols) {
    if (words.length != frequencies.length) {
      throw new IllegalArgumentException(words.length + " words but " + frequencies.length + " frequencies");
    }
    this.words = words;
    this.frequencies = frequencies;
    this.firstMergeable = firstMergeable;
    this.score = score;
    this.minCount = Math.max(1, minCount);
    this.symbols = symbols;
    this.visited = new int[words.length];
    Arrays.fill(visited, -1);
    Comparator<Candidate> order = Comparator.comparingDouble(Candidate::score).reversed();
    this.queue = new PriorityQueue<>(order.thenComparing((x, y) -> symbols.compare(x.left, y.left))
        .thenComparing((x, y) -> symbols.compare(x.right, y.right)));
    countAll();
  }

  /** Merges the best pair until {@link Symbols#full} or no pair occurs at least {@code minCount} times. */
  public List<Merge> run() {
    List<Merge> merges = new ArrayList<>();
    while (!symbols.full()) {
      Pair best = pollBest();
      if (best == null) {
        break;
      }
      int result = symbols.merge(best.left, best.right);
      merges.add(new Merge(best.left, best.right, result, best.count));
      apply(best, result);
    }
    return merges;
  }

  private void countAll() {
    for (int w = 0; w < words.length; w++) {
      int[] word = words[w];
      long f = frequencies[w];
      for (int i = 0; i < word.length; i++) {
        addSymbolCount(word[i], f);
        if (i + 1 < word.length && mergeable(word[i], word[i + 1])) {
          Pair p = pair(word[i], word[i + 1]);
          p.count += f;
          p.addWord(w);
        }
      }
    }
    for (Pair p : pairs.values()) {
      push(p);
    }
  }

  private Pair pollBest() {
    while (!queue.isEmpty()) {
      Candidate c = queue.poll();
      Pair p = pairs.get(key(c.left, c.right));
      if (p != null && p.count >= minCount && scoreOf(p) == c.score) {
        return p;
      }
    }
    return null;
  }

  /** Rewrites every word containing {@code best}, then updates the statistics of the pairs that changed. */
  private void apply(Pair best, int result) {
    int a = best.left;
    int b = best.right;
    Map<Long, Long> delta = new HashMap<>();
    for (int k = 0; k < best.wordCount; k++) {
      int w = best.words[k];
      if (visited[w] == mergeNumber) {
        continue;
      }
      visited[w] = mergeNumber;
      int[] old = words[w];
      int[] merged = mergeWord(old, a, b, result);
      if (merged == null) {
        continue;                                   // stale entry: the word no longer holds the pair
      }
      long f = frequencies[w];
      for (int i = 0; i + 1 < old.length; i++) {
        if (mergeable(old[i], old[i + 1])) {
          delta.merge(key(old[i], old[i + 1]), -f, Long::sum);
        }
      }
      for (int i = 0; i + 1 < merged.length; i++) {
        if (mergeable(merged[i], merged[i + 1])) {
          delta.merge(key(merged[i], merged[i + 1]), f, Long::sum);
          if (merged[i] == result || merged[i + 1] == result) {
            pair(merged[i], merged[i + 1]).addWord(w);
          }
        }
      }
      long occurrences = (long) (old.length - merged.length) * f;
      addSymbolCount(a, -occurrences);
      addSymbolCount(b, -occurrences);
      addSymbolCount(result, occurrences);
      words[w] = merged;
    }
    mergeNumber++;
    Set<Long> changed = new LinkedHashSet<>();
    for (Map.Entry<Long, Long> e : delta.entrySet()) {
      if (e.getValue() != 0) {
        pairs.get(e.getKey()).count += e.getValue();
        changed.add(e.getKey());
      }
    }
    if (score == Score.LIKELIHOOD) {                 // the symbol counts of a, b and result changed
      for (int symbol : new int[] {a, b, result}) {
        changed.addAll(pairsOfSymbol.getOrDefault(symbol, Set.of()));
      }
    }
    for (Long k : changed) {
      Pair p = pairs.get(k);
      if (p == null) {
        continue;
      }
      if (p.count <= 0) {
        remove(p);
      } else {
        push(p);
      }
    }
    if (queue.size() > 4 * pairs.size() + 10_000) {
      queue.clear();
      pairs.values().forEach(this::push);
    }
  }

  /** The word with every {@code a b} (left to right, not overlapping) replaced by {@code result}; null if none. */
  private static int[] mergeWord(int[] word, int a, int b, int result) {
    int found = 0;
    for (int i = 0; i + 1 < word.length; i++) {
      if (word[i] == a && word[i + 1] == b) {
        found++;
        i++;
      }
    }
    if (found == 0) {
      return null;
    }
    int[] out = new int[word.length - found];
    int j = 0;
    for (int i = 0; i < word.length; i++) {
      if (i + 1 < word.length && word[i] == a && word[i + 1] == b) {
        out[j++] = result;
        i++;
      } else {
        out[j++] = word[i];
      }
    }
    return out;
  }

  private void push(Pair p) {
    if (p.count >= minCount) {
      queue.add(new Candidate(scoreOf(p), p.left, p.right));
    }
  }

  private double scoreOf(Pair p) {
    if (score == Score.FREQUENCY) {
      return p.count;
    }
    return p.count / ((double) symbolCounts[p.left] * (double) symbolCounts[p.right]);
  }

  private boolean mergeable(int a, int b) {
    return a >= firstMergeable && b >= firstMergeable;
  }

  private Pair pair(int a, int b) {
    long k = key(a, b);
    Pair p = pairs.get(k);
    if (p == null) {
      p = new Pair(a, b);
      pairs.put(k, p);
      pairsOfSymbol.computeIfAbsent(a, s -> new HashSet<>()).add(k);
      pairsOfSymbol.computeIfAbsent(b, s -> new HashSet<>()).add(k);
    }
    return p;
  }

  private void remove(Pair p) {
    long k = key(p.left, p.right);
    pairs.remove(k);
    Set<Long> left = pairsOfSymbol.get(p.left);
    if (left != null) {
      left.remove(k);
    }
    Set<Long> right = pairsOfSymbol.get(p.right);
    if (right != null) {
      right.remove(k);
    }
  }

  private void addSymbolCount(int symbol, long amount) {
    if (symbol >= symbolCounts.length) {
      symbolCounts = Arrays.copyOf(symbolCounts, Math.max(symbol + 1, symbolCounts.length * 2));
    }
    symbolCounts[symbol] += amount;
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xffffffffL);
  }

  private record Candidate(double score, int left, int right) {}

  /** A pair of adjacent symbols: how often it occurs and (a superset of) the words it occurs in. */
  private static final class Pair {
    final int left;
    final int right;
    long count;
    int[] words = new int[2];
    int wordCount;

    Pair(int left, int right) {
      this.left = left;
      this.right = right;
    }

    void addWord(int w) {
      if (wordCount > 0 && words[wordCount - 1] == w) {
        return;
      }
      if (wordCount == words.length) {
        words = Arrays.copyOf(words, wordCount * 2);
      }
      words[wordCount++] = w;
    }
  }
}
