package io.ablate.plugins.architectures.decoder;

import io.ablate.plugins.architectures.block.Stack;
import io.ablate.plugins.architectures.block.TextModelConfig;
import io.ablate.plugins.architectures.block.TokenEmbedding;
import io.ablate.plugins.architectures.generation.Autoregressive;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Generator;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.RunState;
import io.ablate.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code decoder}: a causal language model (GPT-style) that also continues prompts. */
public class Decoder implements Model, Generator {
  public static final ComponentFactory<TextModelConfig, Model> FACTORY = Factories.of(Family.ARCHITECTURE, "decoder",
      "Causal Transformer language model (decoder-only, GPT-style)", TextModelConfig.class, Decoder::new);

  private final TokenEmbedding embedding;
  private final Stack stack;
  private final RunState state;
  private final int maxLength;

  public Decoder(TextModelConfig config, BuildContext context) {
    BuildContext c = config.prepare(context);
    this.embedding = new TokenEmbedding(c.scope("embedding"), c.io().vocabSize(), config.embedding(), c.positional(),
        config.tiedEmbeddings());
    this.stack = new Stack(c.scope("decoder"), config.layers(), config.blocks(), false);
    this.state = context.state();
    this.maxLength = context.io().maxLength();
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

  /** Continues {@code batch.tokens()} (B, T), rows of equal length without padding. */
  @Override
  public int[][] generate(Batch batch, Decoding decoding) {
    INDArray mask = batch.tokenMask();
    if (mask != null && mask.minNumber().doubleValue() == 0) {
      throw new IllegalArgumentException("decoder prompts must all have the same length, without padding");
    }
    return Autoregressive.generate(batch.tokens(), decoding, maxLength, state, tokens -> {
      Tensor logits = logits(Batch.languageModel(tokens, null));                 // (B, T, V)
      return logits.value().get(NDArrayIndex.all(), NDArrayIndex.point(tokens.size(1) - 1), NDArrayIndex.all())
          .dup();                                                               // (B, V)
    });
  }
}
