package io.ablate.plugins.transformer.attention;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;

/**
 * Attention whose H query heads share fewer key/value heads: {@code gqa} (Ainslie et al. 2023) with
 * {@code kv_heads} groups, and {@code mqa} (Shazeer 2019), one key/value head for all query heads.
 * Query head h reads key/value head h / (H / kv_heads). With kv_heads = H it is {@code mha}.
 */
public final class GroupedQueryAttention implements Attention {
  /** Options of {@code gqa}. */
  public record Config(
      @Doc("key/value heads; must divide the model's heads (1 = multi-query, heads = multi-head); "
          + "0 = half the heads (1 when there is one head)") @Default("0") int kvHeads,
      @Doc("how q·kᵀ is scaled: sqrt_dk (1/√d_k), none, or a learned per-head temperature")
      @Default("sqrt_dk") Scale scale,
      @Doc("biases on the four projections") @Default("true") boolean bias,
      @Doc("dropout on the attention output, in training only") @Default("0.0") double dropout) {
    public Config {
      if (kvHeads < 0) {
        throw new IllegalArgumentException("kv_heads must be ≥ 0, got " + kvHeads);
      }
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
    }
  }

  /** Options of {@code mqa}: those of {@code gqa} without {@code kv_heads}, which is 1. */
  public record MultiQueryConfig(
      @Doc("how q·kᵀ is scaled: sqrt_dk (1/√d_k), none, or a learned per-head temperature")
      @Default("sqrt_dk") Scale scale,
      @Doc("biases on the four projections") @Default("true") boolean bias,
      @Doc("dropout on the attention output, in training only") @Default("0.0") double dropout) {
    public MultiQueryConfig {
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
    }

    Config grouped() {
      return new Config(1, scale, bias, dropout);
    }
  }

  public static final ComponentFactory<Config, Attention> GQA = Factories.of(Family.ATTENTION, "gqa",
      "Grouped-query attention: kv_heads key/value heads shared by groups of query heads (Ainslie et al. 2023)",
      Config.class, GroupedQueryAttention::new);

  public static final ComponentFactory<MultiQueryConfig, Attention> MQA = Factories.of(Family.ATTENTION, "mqa",
      "Multi-query attention: one key/value head shared by all query heads (Shazeer 2019)",
      MultiQueryConfig.class, (config, context) -> new GroupedQueryAttention(config.grouped(), context));

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final Tensor scale;
  private final int heads;
  private final int kvHeads;
  private final double dropout;
  private final PositionalEncoding positional;
  private final RunState state;
  private final BuildContext context;

  public GroupedQueryAttention(Config config, BuildContext context) {
    int d = context.dims().dModel();
    int dh = context.dims().headDim();
    this.heads = context.dims().heads();
    this.kvHeads = config.kvHeads() > 0 ? config.kvHeads() : Math.max(1, heads / 2);
    if (heads % kvHeads != 0) {
      throw new ConfigException("attention at '" + context.path() + "': heads (" + heads
          + ") must be divisible by kv_heads (" + kvHeads + "); valid kv_heads: " + divisors(heads));
    }
    this.query = new Linear(context.params(), "query", d, d, config.bias());
    this.key = new Linear(context.params(), "key", d, kvHeads * dh, config.bias());
    this.value = new Linear(context.params(), "value", d, kvHeads * dh, config.bias());
    this.output = new Linear(context.params(), "output", d, d, config.bias());
    this.scale = config.scale().create(context.params(), heads, dh);
    this.dropout = config.dropout();
    this.positional = context.positional();
    this.state = context.state();
    this.context = context;
  }

  @Override
  public Tensor forward(Tensor x, Tensor memory, AttentionMask mask) {
    Tensor q = ScaledDotProduct.splitHeads(query.forward(x), heads);          // (B, H, Tq, Dh)
    Tensor k = ScaledDotProduct.splitHeads(key.forward(memory), kvHeads);     // (B, Hk, Tk, Dh)
    Tensor v = ScaledDotProduct.splitHeads(value.forward(memory), kvHeads);   // (B, Hk, Tk, Dh)
    Tensor mixed = ScaledDotProduct.attend(q, k, v, scale, mask, positional, null, state, context.path());
    mixed = Dropout.apply(mixed, dropout, context.rng(), state.training());  // (B, H, Tq, Dh)
    return output.forward(ScaledDotProduct.mergeHeads(mixed));                // (B, Tq, D)
  }

  private static String divisors(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      if (n % i == 0) {
        out.append(out.length() == 0 ? "" : ", ").append(i);
      }
    }
    return out.toString();
  }
}
