package io.ablate.plugins.transformer.attention;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;

/**
 * {@code local}: multi-head attention restricted to a sliding window of keys (as in Longformer's
 * local attention and Mistral's sliding window). Causal: query i sees keys i − window + 1 … i;
 * bidirectional: keys with |i − j| &lt; window. Scores outside the window are masked like padding, so
 * the cost is still quadratic here; what is ablated is the receptive field of one layer.
 */
public final class LocalAttention {
  /** Options of {@code local}. */
  public record Config(
      @Doc("window size w: causal queries see the w most recent keys (themselves included), "
          + "bidirectional ones the keys at distance < w") @Default("4") int window,
      @Doc("how q·kᵀ is scaled: sqrt_dk (1/√d_k), none, or a learned per-head temperature")
      @Default("sqrt_dk") Scale scale,
      @Doc("biases on the four projections") @Default("true") boolean bias,
      @Doc("dropout on the attention output, in training only") @Default("0.0") double dropout) {
    public Config {
      if (window < 1) {
        throw new IllegalArgumentException("window must be ≥ 1, got " + window);
      }
      ProjectedAttention.Options.checkDropout(dropout);
    }
  }

  public static final ComponentFactory<Config, Attention> FACTORY = Factories.of(Family.ATTENTION, "local",
      "Sliding-window multi-head attention: each query sees only keys within a window of its position",
      Config.class, (config, context) -> new ProjectedAttention(new ProjectedAttention.Options(config.scale(),
          config.bias(), config.dropout(), context.dims().heads(), false, config.window()), context));

  private LocalAttention() {}
}
