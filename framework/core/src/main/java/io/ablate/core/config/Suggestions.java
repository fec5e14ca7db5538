package io.ablate.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "did you mean" by edit distance, used by every unknown-name and unknown-key message. */
public final class Suggestions {
  private Suggestions() {}

  /** The closest candidate if it is close enough to be a plausible typo, else null. */
  public static String closest(String wrong, Collection<String> candidates) {
    String w = wrong.toLowerCase(Locale.ROOT);
    return candidates.stream()
        .min(Comparator.comparingInt((String c) -> distance(w, c.toLowerCase(Locale.ROOT))).thenComparing(c -> c))
        .filter(c -> distance(w, c.toLowerCase(Locale.ROOT)) <= Math.max(2, c.length() / 3))
        .orElse(null);
  }

  /**
   * {@code unknown attention 'rotray' — did you mean 'rotary'? known: a, b, c}.
   *
   * @param what e.g. {@code attention} or {@code key}
   */
  public static String unknown(String what, String wrong, Collection<String> known) {
    String best = closest(wrong, known);
    List<String> sorted = known.stream().sorted().toList();
    return "unknown " + what + " '" + wrong + "'"
        + (best == null ? "" : " — did you mean '" + best + "'?")
        + " known: " + (sorted.isEmpty() ? "(none)" : String.join(", ", sorted));
  }

  /** Damerau-Levenshtein (optimal string alignment) distance. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
