package io.ablate.plugins.transformer.norm;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Normalization;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Norms;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code rmsnorm}: each position divided by the root mean square of its D features, then scaled by
 * a learned gain; no centring and no bias.
 */
public final class RmsNorm implements Normalization {
  /** Options of {@code rmsnorm}. */
  public record Config(
      @Doc("added to the mean square") @Default("1e-6") double eps,
      @Doc("learn a per-feature gain (false: plain x / rms(x))") @Default("true") boolean gain) {
    public Config {
      if (!(eps > 0)) {
        throw new IllegalArgumentException("eps must be > 0, got " + eps);
      }
    }
  }

  public static final ComponentFactory<Config, Normalization> FACTORY = Factories.of(Family.NORMALIZATION,
      "rmsnorm", "Root-mean-square normalisation per position, gain only (Zhang & Sennrich 2019)", Config.class,
      RmsNorm::new);

  private final Tensor gain;
  private final double eps;

  public RmsNorm(Config config, BuildContext context) {
    this.gain = config.gain() ? context.params().ones("gain", context.dims().dModel()) : null;
    this.eps = config.eps();
  }

  @Override
  public Tensor forward(Tensor x, INDArray valid) {
    return Norms.rmsNorm(x, gain, eps);                                         // (B, T, D)
  }
}
