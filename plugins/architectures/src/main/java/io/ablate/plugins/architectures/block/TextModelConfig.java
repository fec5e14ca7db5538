package io.ablate.plugins.architectures.block;

import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;

/** Options of the token-sequence architectures {@code decoder} and {@code encoder}. */
public record TextModelConfig(
    @Doc("model width D") @Default("64") int dModel,
    @Doc("number of blocks") @Default("2") int layers,
    @Doc("attention heads") @Default("4") int heads,
    @Doc("positional encoding component") @Default("sinusoidal") ComponentSpec positional,
    @Doc("attention component") @Default("mha") ComponentSpec attention,
    @Doc("normalisation component") @Default("layernorm") ComponentSpec norm,
    @Doc("normalise before (pre) or after (post) each residual sub-layer") @Default("pre") Placement placement,
    @Doc("residual connections around each sub-layer") @Default("true") boolean residual,
    @Doc("feed-forward component") @Default("gelu") ComponentSpec ffn,
    @Doc("embedding initialisation component") @Default("random") ComponentSpec embedding,
    @Doc("share the vocabulary output projection with the token embedding") @Default("true") boolean tiedEmbeddings,
    @Doc("dropout on sub-layer outputs, in training only") @Default("0.0") double dropout) implements StackSpec {
  public TextModelConfig {
    StackSpec.validate(layers, dropout);
  }
}
