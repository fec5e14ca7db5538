package io.ablate.plugins.transformer.positional;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Kernels;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code alibi} (Press et al. 2022): no position vectors; each head adds −m_h·|i − j| to its logits,
 * with fixed slopes m_h forming a geometric sequence. Under a causal mask only j ≤ i is visible, where
 * this is the paper's −m_h·(i − j). Defined for any length, which is what ALiBi is for.
 */
public final class Alibi implements PositionalEncoding {
  /** {@code alibi} has no options: the slopes follow from the number of heads. */
  public record Config() {}

  public static final ComponentFactory<Config, PositionalEncoding> FACTORY = Factories.of(Family.POSITIONAL,
      "alibi", "Fixed per-head linear distance penalties on the attention logits (Press et al. 2022)",
      Config.class, Alibi::new);

  private final INDArray slopes;             // (1, H, 1, 1)
  private final RelativeTable distances;    // (Tq, Tk) |j − i|
  private INDArray last;                    // (1, H, Tq, Tk)
  private INDArray lastDistances;

  public Alibi(Config config, BuildContext context) {
    DataType type = context.params().type();
    int heads = context.dims().heads();
    this.slopes = Nd4j.create(slopes(heads), new long[] {1, heads, 1, 1}, 'c').castTo(type);
    this.distances = new RelativeTable(Math::abs, type);
  }

  @Override
  public Set<Hook> hooks() {
    return Set.of(Hook.SCORES);
  }

  /** @return (1, H, Tq, Tk), constant */
  @Override
  public Tensor scoreBias(Tensor query, int keyLength) {
    if (query.size(1) != slopes.size(1)) {
      throw new IllegalArgumentException("positional 'alibi' was built for " + slopes.size(1) + " heads, got "
          + query.size(1));
    }
    return Tensor.constant(bias((int) query.size(2), keyLength));
  }

  private synchronized INDArray bias(int tq, int tk) {
    INDArray d = distances.get(tq, tk);
    if (d != lastDistances) {
      INDArray negative = Kernels.mul(slopes, -1.0);                           // (1, H, 1, 1)
      last = Kernels.mul(negative, d.reshape(1, 1, tq, tk));                  // (1, H, Tq, Tk)
      lastDistances = d;
    }
    return last;
  }

  /**
   * The paper's slopes: for a power of two n, 2^(−8/n), 2^(−16/n), …, 2^(−8); otherwise those of the
   * closest smaller power of two p, followed by every other slope of 2p (the reference code's rule).
   */
  public static double[] slopes(int heads) {
    if (heads < 1) {
      throw new IllegalArgumentException("heads must be ≥ 1, got " + heads);
    }
    int p = Integer.highestOneBit(heads);
    double[] out = new double[heads];
    double[] power = powerOfTwoSlopes(p);
    System.arraycopy(power, 0, out, 0, p);
    if (p < heads) {
      double[] doubled = slopes(2 * p);
      for (int i = 0; i < heads - p; i++) {
        out[p + i] = doubled[2 * i];
      }
    }
    return out;
  }

  private static double[] powerOfTwoSlopes(int n) {
    double start = Math.pow(2, -Math.pow(2, -(log2(n) - 3)));
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = start * Math.pow(start, i);
    }
    return out;
  }

  private static double log2(int n) {
    return Integer.numberOfTrailingZeros(n);   // n is a power of two
  }
}
