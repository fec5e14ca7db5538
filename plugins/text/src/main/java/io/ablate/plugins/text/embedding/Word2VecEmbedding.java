package io.ablate.plugins.text.embedding;

import io.ablate.plugins.text.embedding.Word2Vec.Method;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.EmbeddingInit;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code word2vec}: token embeddings pre-trained with word2vec ({@link Word2Vec}) on the task's
 * tokenized training text before the model trains. Deterministic for the run's seed. Fails if the
 * task provides no training text.
 */
public final class Word2VecEmbedding implements EmbeddingInit {
  /** Options of {@code word2vec}. */
  public record Config(
      @Doc("cbow (the context's mean predicts the token) or skipgram (each context token predicts it)")
      @Default("skipgram") Method method,
      @Doc("largest distance of a context token; each position uses a random window of 1 to this") @Default("5")
      int window,
      @Doc("noise tokens per positive example, drawn from the unigram distribution to the power 3/4") @Default("5")
      int negatives,
      @Doc("passes over the training text") @Default("5") int epochs,
      @Doc("initial SGD learning rate, decayed linearly to 0.01% of it over all epochs") @Default("0.025")
      double learningRate,
      @Doc("subsampling threshold t: a token of relative frequency f is kept with probability "
          + "(sqrt(f/t) + 1)·t/f; 0 keeps every token") @Default("0.001") double subsample,
      @Doc("rescale the learned table to this standard deviation over all entries (null: keep word2vec's scale)")
      @Default(Default.NULL) Double std) {
    public Config {
      if (method == null) {
        throw new IllegalArgumentException("method must be cbow or skipgram");
      }
      if (window < 1) {
        throw new IllegalArgumentException("window must be at least 1, got " + window);
      }
      if (negatives < 1) {
        throw new IllegalArgumentException("negatives must be at least 1, got " + negatives);
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
      }
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException("learning_rate must be positive and finite, got " + learningRate);
      }
      if (!(subsample >= 0) || Double.isInfinite(subsample)) {
        throw new IllegalArgumentException("subsample must be 0 (off) or a positive threshold, got " + subsample);
      }
      if (std != null && (!(std > 0) || Double.isInfinite(std))) {
        throw new IllegalArgumentException("std must be positive and finite (or null), got " + std);
      }
    }

    Word2Vec.Settings settings() {
      return new Word2Vec.Settings(method, window, negatives, epochs, learningRate, subsample);
    }
  }

  public static final ComponentFactory<Config, EmbeddingInit> FACTORY = Factories.of(Family.EMBEDDING, "word2vec",
      "Token embeddings pre-trained with word2vec (skip-gram or CBOW, negative sampling) on the training text",
      Config.class, (config, context) -> new Word2VecEmbedding(config));

  private final Config config;

  public Word2VecEmbedding(Config config) {
    this.config = config;
  }

  @Override
  public INDArray initialise(int vocabSize, int dModel, DataType type, TokenCorpus corpus, Rng rng) {
    if (vocabSize < 1 || dModel < 1) {
      throw new IllegalArgumentException("word2vec needs a positive vocabulary and width, got " + vocabSize + "×"
          + dModel);
    }
    if (corpus == null || corpus.isEmpty()) {
      throw new IllegalArgumentException("word2vec pre-trains on the task's training text, but the token corpus is "
          + "empty: use it with a task that provides training text, or use embedding 'random'");
    }
    Word2Vec.Result result = Word2Vec.train(corpus, vocabSize, dModel, config.settings(), rng.nextSeed());
    INDArray table = Nd4j.create(result.vectors(), new long[] {vocabSize, dModel}, 'c');   // (V, D) float
    if (config.std() != null) {
      double std = table.stdNumber().doubleValue();
      table.subi(table.meanNumber());
      if (std > 0) {
        table.muli(config.std() / std);
      }
    }
    return type == DataType.FLOAT ? table : table.castTo(type);
  }
}
