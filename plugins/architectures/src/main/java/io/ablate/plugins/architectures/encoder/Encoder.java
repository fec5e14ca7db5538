package io.ablate.plugins.architectures.encoder;

import io.ablate.plugins.architectures.block.ClassifierHead;
import io.ablate.plugins.architectures.block.Stack;
import io.ablate.plugins.architectures.block.TextModelConfig;
import io.ablate.plugins.architectures.block.TokenEmbedding;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.Objective;
import io.ablate.tensor.Tensor;
import java.util.Locale;
import java.util.Set;

/**
 * {@code encoder}: a bidirectional Transformer (BERT-style). Every token attends to every real token;
 * padding keys are masked. Trained either to classify a sequence from its first position ([CLS]) or
 * to predict masked tokens at every position (over the vocabulary, tied to the embedding or not).
 * Classification reads position 0: the task puts [CLS] there.
 */
public class Encoder implements Model {
  private static final Set<Objective> OBJECTIVES = Set.of(Objective.CLASSIFICATION, Objective.MASKED_LM);

  public static final ComponentFactory<TextModelConfig, Model> FACTORY = Factories.of(Family.ARCHITECTURE, "encoder",
      "Bidirectional Transformer encoder (BERT-style): [CLS] classification or masked-token prediction",
      TextModelConfig.class, Encoder::new);

  private final TokenEmbedding embedding;
  private final Stack stack;
  private final ClassifierHead classifier;

  public Encoder(TextModelConfig config, BuildContext context) {
    Objective objective = context.io().objective();
    if (!OBJECTIVES.contains(objective)) {
      throw new ConfigException("architecture 'encoder' cannot be trained for "
          + objective.name().toLowerCase(Locale.ROOT) + "; it supports classification and masked_lm");
    }
    boolean classifies = objective == Objective.CLASSIFICATION;
    BuildContext c = config.prepare(context);
    // A classifier never projects to the vocabulary: no separate output matrix, whatever tied_embeddings says.
    this.embedding = new TokenEmbedding(c.scope("embedding"), c.io().vocabSize(), config.embedding(), c.positional(),
        config.tiedEmbeddings() || classifies);
    this.stack = new Stack(c.scope("encoder"), config.layers(), config.blocks(), false);
    this.classifier = classifies ? new ClassifierHead(c.scope("head")) : null;
  }

  @Override
  public Set<Objective> objectives() {
    return OBJECTIVES;
  }

  /** (B, C) class logits from [CLS], or (B, T, V) token logits for masked-token prediction. */
  @Override
  public Tensor logits(Batch batch) {
    Tensor h = embedding.embed(batch.tokens());                                 // (B, T, D)
    h = stack.forward(h, batch.tokenMask(), AttentionMask.padding(batch.tokenMask()), null, null);
    return classifier != null ? classifier.forward(h)                           // (B, C)
        : embedding.logits(h);                                                  // (B, T, V)
  }
}
