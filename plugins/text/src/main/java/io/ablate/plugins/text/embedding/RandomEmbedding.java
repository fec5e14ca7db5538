package io.ablate.plugins.text.embedding;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.EmbeddingInit;

/** {@code random}: N(0, std²) embeddings. */
public final class RandomEmbedding {
  /** Options of {@code random}. */
  public record Config(
      @Doc("standard deviation; 0 means 1/√d_model, which with the architectures' √d_model input scaling "
          + "gives unit-variance inputs (Vaswani et al. 2017)") @Default("0") double std) {
    public Config {
      if (std < 0) {
        throw new IllegalArgumentException("std must be ≥ 0, got " + std);
      }
    }
  }

  public static final ComponentFactory<Config, EmbeddingInit> FACTORY = Factories.of(Family.EMBEDDING, "random",
      "Random normal token embeddings", Config.class,
      (config, context) -> (vocab, dModel, type, corpus, rng) -> rng.normal(type, 0,
          config.std() > 0 ? config.std() : 1 / Math.sqrt(dModel), vocab, dModel));

  private RandomEmbedding() {}
}
