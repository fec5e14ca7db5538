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

/** {@code gelu}: Linear(D → hidden) · GELU · Linear(hidden → D). */
public final class GeluFeedForward implements FeedForward {
  /** Options of {@code gelu}. */
  public record Config(
      @Doc("hidden width; 0 means 4·d_model") @Default("0") int hidden,
      @Doc("dropout after the activation, in training only") @Default("0.0") double dropout) {}

  public static final ComponentFactory<Config, FeedForward> FACTORY = Factories.of(Family.FEEDFORWARD, "gelu",
      "Two-layer MLP with the exact GELU activation (Hendrycks & Gimpel 2016)", Config.class, GeluFeedForward::new);

  private final Linear up;
  private final Linear down;
  private final double dropout;
  private final BuildContext context;

  public GeluFeedForward(Config config, BuildContext context) {
    int d = context.dims().dModel();
    int hidden = config.hidden() > 0 ? config.hidden() : 4 * d;
    this.up = new Linear(context.params(), "up", d, hidden, true);
    this.down = new Linear(context.params(), "down", hidden, d, true);
    this.dropout = config.dropout();
    this.context = context;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor h = up.forward(x).gelu();                                            // (B, T, hidden)
    h = Dropout.apply(h, dropout, context.rng(), context.state().training());
    return down.forward(h);                                                     // (B, T, D)
  }
}
