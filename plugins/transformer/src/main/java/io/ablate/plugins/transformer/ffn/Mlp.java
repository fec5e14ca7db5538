package io.ablate.plugins.transformer.ffn;

import io.ablate.spi.BuildContext;
import io.ablate.spi.model.FeedForward;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;
import java.util.function.UnaryOperator;

/**
 * Linear(D → hidden) · activation · dropout · Linear(hidden → D), with biases: the position-wise MLP
 * of the original Transformer. The activation is what distinguishes {@code gelu} from {@code relu}.
 */
public final class Mlp implements FeedForward {
  private final Linear up;
  private final Linear down;
  private final UnaryOperator<Tensor> activation;
  private final double dropout;
  private final BuildContext context;

  public Mlp(MlpConfig config, BuildContext context, UnaryOperator<Tensor> activation) {
    int d = context.dims().dModel();
    int hidden = config.hidden() > 0 ? config.hidden() : 4 * d;
    this.up = new Linear(context.params(), "up", d, hidden, true);
    this.down = new Linear(context.params(), "down", hidden, d, true);
    this.activation = activation;
    this.dropout = config.dropout();
    this.context = context;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor h = activation.apply(up.forward(x));                                // (B, T, hidden)
    h = Dropout.apply(h, dropout, context.rng(), context.state().training());
    return down.forward(h);                                                     // (B, T, D)
  }
}
