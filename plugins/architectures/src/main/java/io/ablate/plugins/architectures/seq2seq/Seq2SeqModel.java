package io.ablate.plugins.architectures.seq2seq;

import io.ablate.spi.model.Generator;
import io.ablate.spi.model.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A sequence-to-sequence model whose source can be encoded once and then decoded by any search. */
public interface Seq2SeqModel extends Model, Generator {
  /**
   * Runs the encoder once (call it with gradients off); the scorer reuses its output for every step.
   *
   * @param source (B, S) source ids
   * @param sourceMask (B, S) 1 for real tokens, 0 for padding, or null
   */
  PrefixScorer encode(INDArray source, INDArray sourceMask);
}
