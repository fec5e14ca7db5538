package io.ablate.plugins.transformer.positional;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code sinusoidal}: PE(t, 2i) = sin(t / base^(2i/D)), PE(t, 2i+1) = cos(…), added to the
 * embeddings. Fixed, so it is defined for any length.
 */
public final class Sinusoidal implements PositionalEncoding {
  /** Options of {@code sinusoidal}. */
  public record Config(@Doc("the wavelength base") @Default("10000") double base) {
    public Config {
      if (base <= 1) {
        throw new IllegalArgumentException("base must be > 1, got " + base);
      }
    }
  }

  public static final ComponentFactory<Config, PositionalEncoding> FACTORY = Factories.of(Family.POSITIONAL,
      "sinusoidal", "Fixed sine/cosine position vectors added to the embeddings (Vaswani et al. 2017)",
      Config.class, Sinusoidal::new);

  private final double base;
  private final DataType type;
  private INDArray table;   // (T, D), grown on demand

  public Sinusoidal(Config config, BuildContext context) {
    this.base = config.base();
    this.type = context.params().type();
  }

  @Override
  public Set<Hook> hooks() {
    return Set.of(Hook.INPUT);
  }

  @Override
  public Tensor embed(Tensor x) {
    int t = (int) x.size(1);
    int d = (int) x.size(2);
    return x.add(Tensor.constant(table(t, d)));                              // (B, T, D) + (T, D)
  }

  private synchronized INDArray table(int t, int d) {
    if (table == null || table.size(0) < t || table.size(1) != d) {
      table = table(Math.max(t, table == null ? 0 : (int) table.size(0)), d, base, type);
    }
    return table.size(0) == t ? table : table.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, t),
        org.nd4j.linalg.indexing.NDArrayIndex.all());
  }

  /** (T, D) sinusoid table. */
  static INDArray table(int t, int d, double base, DataType type) {
    INDArray positions = Nd4j.arange(0, t).castTo(DataType.DOUBLE).reshape(t, 1);             // (T, 1)
    INDArray pairs = Nd4j.arange(0, d).castTo(DataType.DOUBLE).divi(2).castTo(DataType.INT64)
        .castTo(DataType.DOUBLE).muli(2.0 / d);                                               // (D,) 2i/D
    INDArray inverseFreq = Nd4j.ones(DataType.DOUBLE, d).muli(base);
    inverseFreq = Transforms.pow(inverseFreq, pairs.neg(), false);
    INDArray angles = positions.mmul(inverseFreq.reshape(1, d));                              // (T, D)
    INDArray odd = Nd4j.arange(0, d).castTo(DataType.INT64).fmod(2).castTo(DataType.DOUBLE).reshape(1, d);
    INDArray sin = Transforms.sin(angles, true).muli(odd.rsub(1));                           // even columns
    INDArray out = Transforms.cos(angles, true).muli(odd).addi(sin);                          // odd columns
    return out.castTo(type);
  }
}
