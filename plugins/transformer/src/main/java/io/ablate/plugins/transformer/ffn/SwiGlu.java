package io.ablate.plugins.transformer.ffn;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.FeedForward;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;

/**
 * {@code swiglu}: {@code (SiLU(x·W) ⊙ x·V) · W₂} without biases (Shazeer 2020, "GLU Variants Improve
 * Transformer"). Three matrices instead of two, so the default hidden width is ⅔ of the MLP's 4·D,
 * rounded up to a multiple of 8, which keeps the parameter count of a {@code gelu} layer.
 */
public final class SwiGlu implements FeedForward {
  /** Options of {@code swiglu}. */
  public record Config(
      @Doc("hidden width; 0 means 8/3·d_model rounded up to a multiple of 8") @Default("0") int hidden,
      @Doc("dropout on the gated hidden units, in training only") @Default("0.0") double dropout) {
    public Config {
      if (hidden < 0) {
        throw new IllegalArgumentException("hidden must be ≥ 0 (0 = 8/3·d_model rounded up to a multiple of 8), got "
            + hidden);
      }
      FeedForwardChecks.dropout(dropout);
    }
  }

  public static final ComponentFactory<Config, FeedForward> FACTORY = Factories.of(Family.FEEDFORWARD, "swiglu",
      "Gated feed-forward with a SiLU (Swish) gate, no biases (Shazeer 2020)", Config.class, SwiGlu::new);

  private final Linear gate;
  private final Linear value;
  private final Linear down;
  private final double dropout;
  private final BuildContext context;

  public SwiGlu(Config config, BuildContext context) {
    int d = context.dims().dModel();
    int hidden = config.hidden() > 0 ? config.hidden() : defaultHidden(d);
    this.gate = new Linear(context.params(), "gate", d, hidden, false);
    this.value = new Linear(context.params(), "value", d, hidden, false);
    this.down = new Linear(context.params(), "down", hidden, d, false);
    this.dropout = config.dropout();
    this.context = context;
  }

  /** 8/3·D rounded up to a multiple of 8: 8 → 24, 64 → 176, 512 → 1368. */
  public static int defaultHidden(int dModel) {
    int raw = (int) Math.ceil(8.0 * dModel / 3.0);
    return (raw + 7) / 8 * 8;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor h = gate.forward(x).silu().mul(value.forward(x));                   // (B, T, hidden)
    h = Dropout.apply(h, dropout, context.rng(), context.state().training());
    return down.forward(h);                                                     // (B, T, D)
  }
}
