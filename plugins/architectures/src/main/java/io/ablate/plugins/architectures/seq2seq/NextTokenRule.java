package io.ablate.plugins.architectures.seq2seq;

import java.util.SplittableRandom;

/** How token-by-token decoding picks the next token from its log-probabilities. */
@FunctionalInterface
interface NextTokenRule {
  /** @param logProbs (V) log-probabilities of the next token of one sequence */
  int pick(double[] logProbs);

  /** The most likely token (the lowest id among equals). */
  static NextTokenRule greedy() {
    return TopK::argmax;
  }

  /**
   * A draw from softmax(log p / temperature) restricted to the {@code topK} most likely tokens
   * (0 = all); draws come in call order from one generator seeded with {@code seed}.
   */
  static NextTokenRule sample(double temperature, int topK, long seed) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("sampling temperature must be a positive finite number, got " + temperature
          + " (use greedy decoding for temperature 0)");
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top_k must be 0 (all tokens) or positive, got " + topK);
    }
    SplittableRandom random = new SplittableRandom(seed);
    return logProbs -> {
      int[] candidates = TopK.indices(logProbs, topK == 0 ? logProbs.length : topK);   // largest first
      double max = logProbs[candidates[0]] / temperature;
      double[] weights = new double[candidates.length];
      double total = 0;
      for (int i = 0; i < candidates.length; i++) {
        weights[i] = Math.exp(logProbs[candidates[i]] / temperature - max);
        total += weights[i];
      }
      double u = random.nextDouble() * total;
      for (int i = 0; i < candidates.length; i++) {
        u -= weights[i];
        if (u < 0) {
          return candidates[i];
        }
      }
      return candidates[candidates.length - 1];     // rounding left u at ~0
    };
  }
}
