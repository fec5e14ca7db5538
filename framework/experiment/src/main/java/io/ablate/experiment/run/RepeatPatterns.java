package io.ablate.experiment.run;

import java.util.List;

/**
 * Per-head scores of three attention patterns on a string followed by itself, the diagnostics of
 * an induction circuit (Olsson et al. 2022). The input is {@code s s} minus its last token (what a
 * causal LM reads to predict {@code s s}), n = |s|. Each score is a head's mean attention weight
 * on one key per query:
 *
 * <ul>
 *   <li>{@code prefix_matching}: i → i − n + 1, the token after the earlier occurrence of the
 *       current token, over the second copy (i ≥ n). An induction head scores near 1.
 *   <li>{@code duplicate_token}: i → i − n, the earlier occurrence itself, over the second copy.
 *       Such a head finds the match but cannot by itself say what comes next.
 *   <li>{@code previous_token}: i → i − 1, over every i ≥ 1 (the first layer of the circuit).
 * </ul>
 *
 * A head attending uniformly over its causal prefix scores about 1 / i on each.
 */
public final class RepeatPatterns {
  /** The score names, in the order {@link #scores} returns them. */
  public static final List<String> NAMES = List.of("prefix_matching", "duplicate_token", "previous_token");

  /** One head's attention weight from query q to key k. */
  @FunctionalInterface
  public interface Weights {
    double at(int query, int key);
  }

  private RepeatPatterns() {}

  /** n when the tokens are {@code s s} minus the last token with n = |s| ≥ 2; else 0. */
  public static int repeatLength(int[] tokens) {
    if (tokens.length < 3 || tokens.length % 2 == 0) {
      return 0;
    }
    int n = (tokens.length + 1) / 2;
    for (int i = n; i < tokens.length; i++) {
      if (tokens[i] != tokens[i - n]) {
        return 0;
      }
    }
    return n;
  }

  /** The three scores of one head on one example of {@code length} tokens with copy length n ≥ 2. */
  public static double[] scores(int n, int length, Weights w) {
    double prefix = 0;
    double duplicate = 0;
    for (int i = n; i < length; i++) {
      prefix += w.at(i, i - n + 1);
      duplicate += w.at(i, i - n);
    }
    double previous = 0;
    for (int i = 1; i < length; i++) {
      previous += w.at(i, i - 1);
    }
    int second = length - n;
    return new double[] {prefix / second, duplicate / second, previous / (length - 1)};
  }
}
