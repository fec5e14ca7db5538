package {{package}};

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Masks;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Softmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code {{name}}} attention: multi-head scaled dot-product attention, softmax(q·kᵀ / (τ·√Dh) +
 * positional term + mask)·v, with separate W_Q, W_K, W_V and an output projection. It is a working
 * starting point: change {@link #forward} to try your idea, and keep the contract test passing.
 *
 * <p>What an attention must do, and this one does:
 * <ul>
 *   <li>apply the positional hooks of {@code context.positional()}: QUERY_KEY rotates q and k before
 *       their product (rotary), SCORES adds a term to the logits (relative biases, ALiBi);
 *   <li>honour the mask: causal (query i sees keys j ≤ i) and padding ({@code keyValid} (B, Tk));
 *   <li>work as self-attention (query = keyValue) and cross-attention (different lengths);
 *   <li>report its weights to {@link RunState#record} while the run state is capturing;
 *   <li>create its parameters through {@code context.params()} so that they are trained, seeded and
 *       checkpointed.
 * </ul>
 */
public final class {{Class}} implements Attention {
  /** Options of {@code {{name}}}: keys in snake_case in a study, checked when the study is loaded. */
  public record Config(
      @Doc("softmax temperature τ: logits are divided by τ·√d_head; below 1 sharpens, above 1 flattens")
      @Default("1.0") double temperature,
      @Doc("biases on the four projections") @Default("true") boolean bias) {
    public Config {
      if (!(temperature > 0)) {
        throw new IllegalArgumentException("temperature must be positive, got " + temperature);
      }
    }
  }

  public static final ComponentFactory<Config, Attention> FACTORY = Factories.of(Family.ATTENTION, "{{name}}",
      "Multi-head scaled dot-product attention with a softmax temperature (template: describe your variant here)",
      Config.class, {{Class}}::new);

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final int heads;
  private final double scale;
  private final PositionalEncoding positional;
  private final RunState state;
  private final String layer;

  public {{Class}}(Config config, BuildContext context) {
    int d = context.dims().dModel();
    this.heads = context.dims().heads();
    this.query = new Linear(context.params(), "query", d, d, config.bias());
    this.key = new Linear(context.params(), "key", d, d, config.bias());
    this.value = new Linear(context.params(), "value", d, d, config.bias());
    this.output = new Linear(context.params(), "output", d, d, config.bias());
    this.scale = 1.0 / (config.temperature() * Math.sqrt(context.dims().headDim()));
    this.positional = context.positional();       // the architecture's encoding; NONE for cross-attention
    this.state = context.state();
    this.layer = context.path();                   // e.g. blocks.0.attention, names captured weights
  }

  @Override
  public Tensor forward(Tensor x, Tensor memory, AttentionMask mask) {
    Tensor q = splitHeads(query.forward(x));                                  // (B, H, Tq, Dh)
    Tensor k = splitHeads(key.forward(memory));                               // (B, H, Tk, Dh)
    Tensor v = splitHeads(value.forward(memory));                             // (B, H, Tk, Dh)
    int tq = (int) q.size(2);
    int tk = (int) k.size(2);
    if (positional.hooks().contains(Hook.QUERY_KEY)) {
      PositionalEncoding.QueryKey rotated = positional.rotate(q, k);
      q = rotated.query();
      k = rotated.key();
    }
    Tensor logits = q.matmul(k.transpose(2, 3)).mul(scale);                  // (B, H, Tq, Tk)
    if (positional.hooks().contains(Hook.SCORES)) {
      Tensor bias = positional.scoreBias(q, tk);                              // broadcastable to (B, H, Tq, Tk)
      if (bias != null) {
        logits = logits.add(bias);
      }
    }
    INDArray keep = Masks.keep(mask, tq, tk, logits.dataType());              // (B|1, 1, Tq, Tk), 1 = visible
    if (keep != null) {
      logits = logits.add(Tensor.constant(keep.rsub(1).muli(Softmax.MASKED)));
    }
    Tensor weights = logits.softmax(-1);                                      // (B, H, Tq, Tk)
    if (state.capturing()) {
      state.record(layer, weights.value());
    }
    return output.forward(mergeHeads(weights.matmul(v)));                     // (B, Tq, D)
  }

  /** (B, T, H·Dh) → (B, H, T, Dh). */
  private Tensor splitHeads(Tensor x) {
    return x.reshape(x.size(0), x.size(1), heads, x.size(2) / heads).permute(0, 2, 1, 3);
  }

  /** (B, H, T, Dh) → (B, T, H·Dh). */
  private static Tensor mergeHeads(Tensor x) {
    return x.permute(0, 2, 1, 3).reshape(x.size(0), x.size(2), x.size(1) * x.size(3));
  }
}
