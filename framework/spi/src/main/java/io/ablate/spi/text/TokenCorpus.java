package io.ablate.spi.text;

import java.util.List;

/**
 * The task's training text after tokenization, for components that pre-train on it.
 *
 * @param sequences one id array per document or line
 * @param vocabSize ids range over [0, vocabSize)
 */
public record TokenCorpus(List<int[]> sequences, int vocabSize) {
  public static final TokenCorpus EMPTY = new TokenCorpus(List.of(), 0);

  public TokenCorpus {
    sequences = List.copyOf(sequences);
  }

  public boolean isEmpty() {
    return sequences.isEmpty();
  }
}
