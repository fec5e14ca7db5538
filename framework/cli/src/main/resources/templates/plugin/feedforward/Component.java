package {{package}};

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.FeedForward;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;

/**
 * The {@code {{name}}} feed-forward layer: W₂ · relu(W₁x + b₁)² + b₂, the squared-ReLU MLP of Primer
 * (So et al. 2021). It is a working starting point: change it to try your idea and keep the contract
 * test passing.
 *
 * <p>A feed-forward layer maps each position on its own, (B, T, D) → (B, T, D); its width is
 * {@code context.dims().dModel()}. Parameters are created through {@code context.params()} (here by
 * {@link Linear}), so that they are trained, seeded and checkpointed.
 */
public final class {{Class}} implements FeedForward {
  /** Options of {@code {{name}}}: keys in snake_case in a study, checked when the study is loaded. */
  public record Config(
      @Doc("hidden width; 0 means 4 × d_model") @Default("0") int hidden,
      @Doc("biases on both projections") @Default("true") boolean bias) {
    public Config {
      if (hidden < 0) {
        throw new IllegalArgumentException("hidden must be ≥ 0 (0: 4 × d_model), got " + hidden);
      }
    }
  }

  public static final ComponentFactory<Config, FeedForward> FACTORY = Factories.of(Family.FEEDFORWARD, "{{name}}",
      "Squared-ReLU MLP, W2·relu(W1·x)² (template: describe your layer here)", Config.class, {{Class}}::new);

  private final Linear up;
  private final Linear down;

  public {{Class}}(Config config, BuildContext context) {
    int d = context.dims().dModel();
    int hidden = config.hidden() == 0 ? 4 * d : config.hidden();
    this.up = new Linear(context.params(), "up", d, hidden, config.bias());
    this.down = new Linear(context.params(), "down", hidden, d, config.bias());
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor h = up.forward(x).relu();                                          // (B, T, hidden)
    return down.forward(h.mul(h));                                            // (B, T, D)
  }
}
