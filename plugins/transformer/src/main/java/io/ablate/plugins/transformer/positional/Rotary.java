package io.ablate.plugins.transformer.positional;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Shapes;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code rotary} (RoPE, Su et al. 2021): queries and keys are rotated in pairs of dimensions by an
 * angle proportional to their position, t·θ_i with θ_i = base^(−2i/d), so that q_m·k_n depends on
 * content and on m − n only, and vector norms are unchanged.
 *
 * <p>Pairs are (x_i, x_{i + d/2}) of the first d = rotary_dim dimensions of each head (the GPT-NeoX /
 * Llama layout, x·cos + rotate_half(x)·sin); the remaining dimensions pass through unrotated
 * (partial rotary, GPT-NeoX's {@code rotary_pct}). Positions are 0..Tq−1 for queries and 0..Tk−1 for
 * keys. Fixed, so defined for any length; the cos/sin tables grow on demand.
 */
public final class Rotary implements PositionalEncoding {
  /** Options of {@code rotary}. */
  public record Config(
      @Doc("wavelength base of the rotation frequencies") @Default("10000") double base,
      @Doc("fraction of each head's dimensions that are rotated (rounded down to an even count)")
      @Default("1.0") double fraction) {
    public Config {
      if (base <= 1) {
        throw new IllegalArgumentException("base must be > 1, got " + base);
      }
      if (fraction <= 0 || fraction > 1) {
        throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
      }
    }
  }

  public static final ComponentFactory<Config, PositionalEncoding> FACTORY = Factories.of(Family.POSITIONAL,
      "rotary", "Rotary position embedding: queries and keys rotated by position-dependent angles (Su et al. 2021)",
      Config.class, Rotary::new);

  private final double base;
  private final double fraction;
  private final DataType type;
  private int tableDim = -1;
  private INDArray cos;   // (T, d/2), grown on demand
  private INDArray sin;

  public Rotary(Config config, BuildContext context) {
    this.base = config.base();
    this.fraction = config.fraction();
    this.type = context.params().type();
    int headDim = context.dims().headDim();
    if (rotaryDim(headDim) < 2) {
      throw new ConfigException("positional 'rotary' at '" + context.path() + "': fraction " + fraction
          + " of the head width " + headDim + " leaves fewer than 2 dimensions to rotate");
    }
  }

  @Override
  public Set<Hook> hooks() {
    return Set.of(Hook.QUERY_KEY);
  }

  @Override
  public QueryKey rotate(Tensor query, Tensor key) {
    return new QueryKey(apply(query), apply(key));
  }

  /** The number of rotated dimensions of a head of width {@code headDim}: even, ≤ headDim. */
  public int rotaryDim(int headDim) {
    return 2 * (int) Math.floor(fraction * headDim / 2 + 1e-9);
  }

  /** (B, H, T, Dh) → (B, H, T, Dh), positions 0..T−1. */
  private Tensor apply(Tensor x) {
    int t = (int) x.size(2);
    int headDim = (int) x.size(3);
    int d = rotaryDim(headDim);
    int half = d / 2;
    INDArray[] table = tables(t, d);
    Tensor c = Tensor.constant(table[0]);                                       // (T, d/2)
    Tensor s = Tensor.constant(table[1]);                                       // (T, d/2)
    Tensor x1 = x.slice(3, 0, half);                                            // (B, H, T, d/2)
    Tensor x2 = x.slice(3, half, d);                                            // (B, H, T, d/2)
    Tensor r1 = x1.mul(c).sub(x2.mul(s));                                       // x1·cos − x2·sin
    Tensor r2 = x2.mul(c).add(x1.mul(s));                                       // x2·cos + x1·sin
    return d == headDim ? Shapes.concat(3, r1, r2)
        : Shapes.concat(3, r1, r2, x.slice(3, d, headDim));                     // (B, H, T, Dh)
  }

  /** {cos, sin} of t·θ_i, each (T, d/2); plain arrays (they outlive any Arena). */
  private synchronized INDArray[] tables(int t, int d) {
    if (cos == null || cos.size(0) < t || tableDim != d) {
      int rows = Math.max(t, cos == null || tableDim != d ? 0 : (int) cos.size(0));
      INDArray positions = Nd4j.arange(0, rows).castTo(DataType.DOUBLE).reshape(rows, 1);       // (T, 1)
      INDArray exponents = Nd4j.arange(0, d / 2).castTo(DataType.DOUBLE).muli(-2.0 / d);      // −2i/d
      INDArray frequencies = Transforms.pow(Nd4j.valueArrayOf(new long[] {d / 2}, base, DataType.DOUBLE),
          exponents, false).reshape(1, d / 2);                                                // (1, d/2)
      INDArray angles = positions.mmul(frequencies);                                          // (T, d/2)
      cos = Transforms.cos(angles, true).castTo(type);
      sin = Transforms.sin(angles, true).castTo(type);
      tableDim = d;
    }
    if (cos.size(0) == t) {
      return new INDArray[] {cos, sin};
    }
    return new INDArray[] {
        cos.get(NDArrayIndex.interval(0, t), NDArrayIndex.all()),
        sin.get(NDArrayIndex.interval(0, t), NDArrayIndex.all())};
  }
}
