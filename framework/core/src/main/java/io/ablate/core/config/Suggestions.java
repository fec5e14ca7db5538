package io.ablate.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.text.similarity.LevenshteinDistance;

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

  /** Levenshtein distance (commons-text); a swap of two letters counts 2, within the threshold above. */
  static int distance(String a, String b) {
    return LevenshteinDistance.getDefaultInstance().apply(a, b);
  }
}
