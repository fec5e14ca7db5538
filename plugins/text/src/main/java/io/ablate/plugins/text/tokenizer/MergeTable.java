package io.ablate.plugins.text.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learned BPE merges in the order they were learned, applied to a word at encoding time: repeatedly
 * merge every occurrence of the adjacent pair learned earliest, until no adjacent pair was learned.
 * This reproduces how training segmented the words it saw.
 */
public final class MergeTable {
  private final List<int[]> merges = new ArrayList<>();
  private final Map<Long, int[]> rankAndResult = new HashMap<>();

  /** Appends a merge {@code left·right → result}, ranked after every merge added before. */
  public void add(int left, int right, int result) {
    long key = key(left, right);
    if (rankAndResult.containsKey(key)) {
      throw new IllegalArgumentException("merge " + left + " " + right + " is listed twice");
    }
    rankAndResult.put(key, new int[] {merges.size(), result});
    merges.add(new int[] {left, right, result});
  }

  public int size() {
    return merges.size();
  }

  /** The merges as (left, right) pairs in rank order; results follow from the vocabulary. */
  public List<int[]> pairs() {
    List<int[]> out = new ArrayList<>(merges.size());
    for (int[] m : merges) {
      out.add(new int[] {m[0], m[1]});
    }
    return out;
  }

  /** The symbols of one word after every applicable merge. */
  public int[] apply(int[] symbols) {
    int[] word = symbols.clone();
    int length = word.length;
    while (length > 1) {
      int bestRank = Integer.MAX_VALUE;
      int bestAt = -1;
      for (int i = 0; i + 1 < length; i++) {
        int[] rr = rankAndResult.get(key(word[i], word[i + 1]));
        if (rr != null && rr[0] < bestRank) {
          bestRank = rr[0];
          bestAt = i;
        }
      }
      if (bestAt < 0) {
        break;
      }
      int left = word[bestAt];
      int right = word[bestAt + 1];
      int result = merges.get(bestRank)[2];
      int j = bestAt;
      for (int i = bestAt; i < length; i++) {
        if (i + 1 < length && word[i] == left && word[i + 1] == right) {
          word[j++] = result;
          i++;
        } else {
          word[j++] = word[i];
        }
      }
      length = j;
    }
    return Arrays.copyOf(word, length);
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xffffffffL);
  }
}
