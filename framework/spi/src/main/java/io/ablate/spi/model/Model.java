package io.ablate.spi.model;

import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Losses;
import java.util.Set;

/**
 * What an architecture builds. Its parameters live in the build context's {@code Parameters};
 * training and evaluation mode are switched on the shared {@link RunState}.
 */
public interface Model {
  /** The objectives this model can be trained for; the one in {@code BuildContext.io()} is among them. */
  Set<Objective> objectives();

  /**
   * @return (B, T, V) token logits for LM / MLM / seq2seq (decoder positions), (B, C) for
   *     classification
   */
  Tensor logits(Batch batch);

  /** Mean cross-entropy over scored targets. */
  default Tensor loss(Batch batch) {
    return Losses.crossEntropy(logits(batch), batch.targets(), Batch.IGNORE);
  }
}
