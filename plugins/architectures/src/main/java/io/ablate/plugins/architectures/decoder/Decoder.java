package io.ablate.plugins.architectures.decoder;

import io.ablate.plugins.architectures.block.BlockOptions;
import io.ablate.plugins.architectures.block.Placement;
import io.ablate.plugins.architectures.block.Stack;
import io.ablate.plugins.architectures.block.TokenEmbedding;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Tensor;
import java.util.Set;

/** {@code decoder}: a causal language model (GPT-style). */
public class Decoder implements Model {
  /** Options of {@code decoder}. */
  public record Config(
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
      @Doc("share the output projection with the token embedding") @Default("true") boolean tiedEmbeddings,
      @Doc("dropout on sub-layer outputs, in training only") @Default("0.0") double dropout) {}

  public static final ComponentFactory<Config, Model> FACTORY = Factories.of(Family.ARCHITECTURE, "decoder",
      "Causal Transformer language model (decoder-only, GPT-style)", Config.class, Decoder::new);

  private final TokenEmbedding embedding;
  private final Stack stack;

  public Decoder(Config config, BuildContext context) {
    BuildContext c = context.withDims(new Dims(config.dModel(), config.heads()));
    PositionalEncoding positional = c.scope("positional").create(Family.POSITIONAL, config.positional());
    c = c.withPositional(positional);
    this.embedding = new TokenEmbedding(c.scope("embedding"), c.io().vocabSize(), config.embedding(), positional,
        config.tiedEmbeddings());
    BlockOptions options = new BlockOptions(config.attention(), config.norm(), config.placement(), config.residual(),
        config.ffn(), config.dropout());
    this.stack = new Stack(c.scope("decoder"), config.layers(), options, false);
  }

  @Override
  public Set<Objective> objectives() {
    return Set.of(Objective.LANGUAGE_MODEL);
  }

  @Override
  public Tensor logits(Batch batch) {
    Tensor h = embedding.embed(batch.tokens());                                 // (B, T, D)
    AttentionMask mask = new AttentionMask(true, batch.tokenMask());
    h = stack.forward(h, batch.tokenMask(), mask, null, null);                   // (B, T, D)
    return embedding.logits(h);                                                 // (B, T, V)
  }
}
