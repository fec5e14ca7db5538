package io.ablate.plugins.transformer.ffn;

/** Validation shared by the feed-forward configs. */
final class FeedForwardChecks {
  private FeedForwardChecks() {}

  static void dropout(double dropout) {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
  }
}
