package {{package}};

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Normalization;
import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code {{name}}} normalisation: each position's feature vector scaled to a learned length,
 * y = g · x / √(‖x‖² + ε), with one scalar g initialised to √D (ScaleNorm, Nguyen and Salazar 2019).
 * It is a working starting point: change it to try your idea and keep the contract test passing.
 *
 * <p>A normalisation receives x (B, T, D) and {@code valid} (B, T), 1 for real tokens and 0 for
 * padding (or null): statistics taken over tokens (batch norm) must ignore padding. It reads
 * {@code context.state().training()} when training and evaluation differ, and keeps running
 * statistics in {@code context.params().buffer(…)} so that they are checkpointed. Placement (pre /
 * post) and the residual connection belong to the block, not here.
 */
public final class {{Class}} implements Normalization {
  /** Options of {@code {{name}}}: keys in snake_case in a study, checked when the study is loaded. */
  public record Config(@Doc("added to the squared norm before the square root") @Default("1e-5") double eps) {
    public Config {
      if (!(eps > 0)) {
        throw new IllegalArgumentException("eps must be positive, got " + eps);
      }
    }
  }

  public static final ComponentFactory<Config, Normalization> FACTORY = Factories.of(Family.NORMALIZATION,
      "{{name}}", "Each position scaled to a learned length g·x/‖x‖ (template: describe your normalisation here)",
      Config.class, {{Class}}::new);

  private final Tensor gain;   // (1)
  private final double eps;

  public {{Class}}(Config config, BuildContext context) {
    double d = context.dims().dModel();
    this.gain = context.params().create("gain", Nd4j.valueArrayOf(new long[] {1}, Math.sqrt(d)));
    this.eps = config.eps();
  }

  @Override
  public Tensor forward(Tensor x, INDArray valid) {
    Tensor squaredNorm = x.mul(x).sum(true, 2);                                // (B, T, 1)
    return x.mul(squaredNorm.add(eps).rsqrt()).mul(gain);                     // (B, T, D)
  }
}
