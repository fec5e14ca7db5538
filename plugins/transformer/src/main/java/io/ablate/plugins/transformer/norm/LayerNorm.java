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

/** {@code layernorm}: each position normalised over its D features, with gain and bias. */
public final class LayerNorm implements Normalization {
  /** Options of {@code layernorm}. */
  public record Config(@Doc("added to the variance") @Default("1e-5") double eps) {
    public Config {
      if (!(eps > 0)) {
        throw new IllegalArgumentException("eps must be > 0, got " + eps);
      }
    }
  }

  public static final ComponentFactory<Config, Normalization> FACTORY = Factories.of(Family.NORMALIZATION,
      "layernorm", "Layer normalisation over features, per position (Ba et al. 2016)", Config.class, LayerNorm::new);

  private final Tensor gain;
  private final Tensor bias;
  private final double eps;

  public LayerNorm(Config config, BuildContext context) {
    int d = context.dims().dModel();
    this.gain = context.params().ones("gain", d);
    this.bias = context.params().zeros("bias", d);
    this.eps = config.eps();
  }

  @Override
  public Tensor forward(Tensor x, INDArray valid) {
    return Norms.layerNorm(x, gain, bias, eps);                                 // (B, T, D)
  }
}
