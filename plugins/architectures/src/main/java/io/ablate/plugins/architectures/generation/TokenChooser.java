package io.ablate.plugins.architectures.generation;

import io.ablate.spi.model.Decoding;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Picks each row's next token from its logits as a {@link Decoding} asks: the argmax (greedy), or a
 * draw from {@code softmax(logits / temperature)} restricted to the {@code topK} most likely tokens.
 * Draws come from a generator seeded with {@link Decoding#seed()}: same seed, same tokens.
 */
public final class TokenChooser {
  private final Decoding decoding;
  private final SplittableRandom random;

  public TokenChooser(Decoding decoding) {
    if (decoding.strategy() == Decoding.Strategy.BEAM) {
      throw new IllegalArgumentException("beam search keeps several hypotheses per row; it is not a per-token choice");
    }
    if (decoding.strategy() == Decoding.Strategy.SAMPLE && !(decoding.temperature() > 0)) {
      throw new IllegalArgumentException("sampling temperature must be > 0, got " + decoding.temperature());
    }
    if (decoding.topK() < 0) {
      throw new IllegalArgumentException("top_k must be ≥ 0 (0 = all tokens), got " + decoding.topK());
    }
    this.decoding = decoding;
    this.random = new SplittableRandom(decoding.seed());
  }

  /**
   * @param logits (B, V) scores of the next token of each row
   * @return (B) chosen ids
   */
  public int[] choose(INDArray logits) {
    double[][] rows = logits.castTo(DataType.DOUBLE).reshape(logits.size(0), logits.size(1)).toDoubleMatrix();
    int[] ids = new int[rows.length];
    for (int b = 0; b < rows.length; b++) {
      ids[b] = decoding.strategy() == Decoding.Strategy.GREEDY ? argmax(rows[b]) : sample(rows[b]);
    }
    return ids;
  }

  /** The index of the largest score; the lowest such index on ties. */
  static int argmax(double[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  private int sample(double[] scores) {
    double threshold = Double.NEGATIVE_INFINITY;
    if (decoding.topK() > 0 && decoding.topK() < scores.length) {
      double[] sorted = scores.clone();
      Arrays.sort(sorted);
      threshold = sorted[sorted.length - decoding.topK()];                     // k-th largest; ties are kept
    }
    double max = scores[argmax(scores)];
    double[] weights = new double[scores.length];
    double total = 0;
    for (int i = 0; i < scores.length; i++) {
      weights[i] = scores[i] >= threshold ? Math.exp((scores[i] - max) / decoding.temperature()) : 0.0;
      total += weights[i];
    }
    double u = random.nextDouble() * total;
    int last = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        last = i;
        u -= weights[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last;                                                                // rounding left u ≥ 0
  }
}
