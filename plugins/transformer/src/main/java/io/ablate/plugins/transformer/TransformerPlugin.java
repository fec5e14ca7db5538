package io.ablate.plugins.transformer;

import io.ablate.plugins.transformer.attention.GroupedQueryAttention;
import io.ablate.plugins.transformer.attention.LinearAttention;
import io.ablate.plugins.transformer.attention.LocalAttention;
import io.ablate.plugins.transformer.attention.MultiHeadAttention;
import io.ablate.plugins.transformer.attention.SharedQueryKeyAttention;
import io.ablate.plugins.transformer.ffn.GeluFeedForward;
import io.ablate.plugins.transformer.ffn.NoFeedForward;
import io.ablate.plugins.transformer.ffn.ReluFeedForward;
import io.ablate.plugins.transformer.ffn.SwiGlu;
import io.ablate.plugins.transformer.norm.BatchNorm;
import io.ablate.plugins.transformer.norm.LayerNorm;
import io.ablate.plugins.transformer.norm.NoNormalization;
import io.ablate.plugins.transformer.norm.RmsNorm;
import io.ablate.plugins.transformer.positional.Alibi;
import io.ablate.plugins.transformer.positional.LearnedPositional;
import io.ablate.plugins.transformer.positional.NoPositional;
import io.ablate.plugins.transformer.positional.Rotary;
import io.ablate.plugins.transformer.positional.ShawRelative;
import io.ablate.plugins.transformer.positional.Sinusoidal;
import io.ablate.plugins.transformer.positional.T5Bias;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Plugin;
import io.ablate.spi.Spi;
import java.util.List;

/** Built-in positional encodings, attention variants, normalisations and feed-forward layers. */
public final class TransformerPlugin implements Plugin {
  @Override
  public String name() {
    return "ablate-transformer";
  }

  @Override
  public String spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public List<ComponentFactory<?, ?>> factories() {
    return List.of(
        NoPositional.FACTORY, Sinusoidal.FACTORY, LearnedPositional.FACTORY, ShawRelative.FACTORY,
        T5Bias.FACTORY, Rotary.FACTORY, Alibi.FACTORY,
        MultiHeadAttention.FACTORY, SharedQueryKeyAttention.FACTORY, GroupedQueryAttention.GQA,
        GroupedQueryAttention.MQA, LocalAttention.FACTORY, LinearAttention.FACTORY,
        LayerNorm.FACTORY, BatchNorm.FACTORY, RmsNorm.FACTORY, NoNormalization.FACTORY,
        GeluFeedForward.FACTORY, ReluFeedForward.FACTORY, SwiGlu.FACTORY, NoFeedForward.FACTORY);
  }
}
