package io.ablate.spi.model;

import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Initial values of the token embedding table: random, or pre-trained (word2vec) on the corpus. */
public interface EmbeddingInit {
  /** @return (vocabSize, dModel) */
  INDArray initialise(int vocabSize, int dModel, DataType type, TokenCorpus corpus, Rng rng);
}
