package io.ablate.spi.model;

/**
 * How a {@link Generator} picks tokens.
 *
 * @param strategy greedy, sample (temperature and top-k) or beam
 * @param maxNewTokens the most tokens to generate per sequence
 * @param temperature for sampling; logits are divided by it
 * @param topK for sampling: keep the k most likely tokens (0 = all)
 * @param beamSize for beam search
 * @param seed for sampling
 */
public record Decoding(Strategy strategy, int maxNewTokens, double temperature, int topK, int beamSize,
    long seed) {
  public enum Strategy { GREEDY, SAMPLE, BEAM }

  public static Decoding greedy(int maxNewTokens) {
    return new Decoding(Strategy.GREEDY, maxNewTokens, 1.0, 0, 1, 0);
  }

  public static Decoding sample(int maxNewTokens, double temperature, int topK, long seed) {
    return new Decoding(Strategy.SAMPLE, maxNewTokens, temperature, topK, 1, seed);
  }

  public static Decoding beam(int maxNewTokens, int beamSize) {
    return new Decoding(Strategy.BEAM, maxNewTokens, 1.0, 0, beamSize, 0);
  }
}
