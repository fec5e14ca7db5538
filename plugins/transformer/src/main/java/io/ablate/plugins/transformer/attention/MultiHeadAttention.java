package io.ablate.plugins.transformer.attention;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;

/** {@code mha}: scaled dot-product attention with separate W_Q, W_K, W_V per head and an output projection. */
public final class MultiHeadAttention {
  /** Options of {@code mha} (and {@code shared-qk}). */
  public record Config(
      @Doc("how q·kᵀ is scaled: sqrt_dk (1/√d_k), none, or a learned per-head temperature")
      @Default("sqrt_dk") Scale scale,
      @Doc("biases on the four projections") @Default("true") boolean bias,
      @Doc("dropout on the attention output, in training only") @Default("0.0") double dropout) {
    public Config {
      ProjectedAttention.Options.checkDropout(dropout);
    }
  }

  public static final ComponentFactory<Config, Attention> FACTORY = Factories.of(Family.ATTENTION, "mha",
      "Multi-head scaled dot-product attention with separate W_Q, W_K, W_V (Vaswani et al. 2017)",
      Config.class, (config, context) -> new ProjectedAttention(new ProjectedAttention.Options(config.scale(),
          config.bias(), config.dropout(), context.dims().heads(), false, 0), context));

  private MultiHeadAttention() {}
}
