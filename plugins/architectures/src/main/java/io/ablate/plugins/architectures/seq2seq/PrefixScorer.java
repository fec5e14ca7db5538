package io.ablate.plugins.architectures.seq2seq;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A source batch encoded once, as search sees it: the log-probabilities of the next target token
 * after each of a set of decoder prefixes. Greedy, sampled and beam search over any sequence-to-sequence
 * model need nothing else, so the Transformer encoder-decoder and the GRU baseline share them.
 */
@FunctionalInterface
public interface PrefixScorer {
  /**
   * @param prefixes (N, t) decoder ids, each row starting with [BOS]; all rows have the same length
   * @param sources for each prefix, the row of the encoded source batch it continues (length N)
   * @return (N, V) log-probabilities of the next token; read before the caller's next call
   */
  INDArray nextLogProbs(INDArray prefixes, int[] sources);
}
