package io.ablate.plugins.tasks.lm;

import java.util.List;

/**
 * The options every language-model task shares (each task's config record repeats them as keys).
 *
 * @param trainContext tokens per training window
 * @param evalContexts context lengths evaluated, e.g. [64, 128, 256]
 * @param scoredTokens the last K targets of each evaluation window that are scored
 * @param evalFraction share of the corpus, at its end, held out
 * @param evalWindows evaluation windows per context length
 * @param maxChars cap on the corpus in characters, from its start (0: all)
 */
public record LmOptions(int trainContext, List<Integer> evalContexts, int scoredTokens, double evalFraction,
    int evalWindows, int maxChars) {
  public LmOptions {
    if (trainContext < 2) {
      throw new IllegalArgumentException("train_context must be at least 2, got " + trainContext);
    }
    if (evalContexts == null || evalContexts.isEmpty()) {
      throw new IllegalArgumentException("eval_contexts must list at least one context length, e.g. [64, 128, 256]");
    }
    for (int n : evalContexts) {
      if (n < scoredTokens) {
        throw new IllegalArgumentException("every eval_contexts entry must be ≥ scored_tokens (" + scoredTokens
            + "), got " + n + ": a window must hold the tokens it scores");
      }
    }
    if (scoredTokens < 1 || scoredTokens > trainContext) {
      throw new IllegalArgumentException("scored_tokens must be in [1, train_context = " + trainContext + "], got "
          + scoredTokens);
    }
    if (!(evalFraction > 0 && evalFraction < 1)) {
      throw new IllegalArgumentException("eval_fraction must be in (0, 1), got " + evalFraction);
    }
    if (evalWindows < 1 || maxChars < 0) {
      throw new IllegalArgumentException("eval_windows must be positive and max_chars ≥ 0 (0: the whole corpus)");
    }
    evalContexts = List.copyOf(evalContexts);
  }

  /** The longest window a model must accept. */
  public int longestContext() {
    int longest = trainContext;
    for (int n : evalContexts) {
      longest = Math.max(longest, n);
    }
    return longest;
  }
}
