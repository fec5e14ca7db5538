package io.ablate.plugins.transformer.attention;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;

/**
 * Attention whose H query heads share fewer key/value heads: {@code gqa} (Ainslie et al. 2023) with
 * {@code kv_heads} groups, and {@code mqa} (Shazeer 2019), one key/value head for all query heads.
 * Query head h reads key/value head h / (H / kv_heads). With kv_heads = H it is {@code mha}.
 */
public final class GroupedQueryAttention {
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
      ProjectedAttention.Options.checkDropout(dropout);
    }
  }

  /** Options of {@code mqa}: those of {@code gqa} without {@code kv_heads}, which is 1. */
  public record MultiQueryConfig(
      @Doc("how q·kᵀ is scaled: sqrt_dk (1/√d_k), none, or a learned per-head temperature")
      @Default("sqrt_dk") Scale scale,
      @Doc("biases on the four projections") @Default("true") boolean bias,
      @Doc("dropout on the attention output, in training only") @Default("0.0") double dropout) {
    public MultiQueryConfig {
      ProjectedAttention.Options.checkDropout(dropout);
    }

    Config grouped() {
      return new Config(1, scale, bias, dropout);
    }
  }

  public static final ComponentFactory<Config, Attention> GQA = Factories.of(Family.ATTENTION, "gqa",
      "Grouped-query attention: kv_heads key/value heads shared by groups of query heads (Ainslie et al. 2023)",
      Config.class, GroupedQueryAttention::create);

  public static final ComponentFactory<MultiQueryConfig, Attention> MQA = Factories.of(Family.ATTENTION, "mqa",
      "Multi-query attention: one key/value head shared by all query heads (Shazeer 2019)",
      MultiQueryConfig.class, (config, context) -> create(config.grouped(), context));

  private GroupedQueryAttention() {}

  private static Attention create(Config config, BuildContext context) {
    int heads = context.dims().heads();
    int kvHeads = config.kvHeads() > 0 ? config.kvHeads() : Math.max(1, heads / 2);
    if (heads % kvHeads != 0) {
      throw new ConfigException("attention at '" + context.path() + "': heads (" + heads
          + ") must be divisible by kv_heads (" + kvHeads + "); valid kv_heads: " + divisors(heads));
    }
    return new ProjectedAttention(new ProjectedAttention.Options(config.scale(), config.bias(), config.dropout(),
        kvHeads, false, 0), context);
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
