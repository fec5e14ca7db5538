package io.ablate.spi.task;

import io.ablate.spi.Experimental;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What a task may do with the model while evaluating: evaluation mode, no gradients. */
@Experimental
public interface Evaluator {
  /** Logits for the batch, a copy the task owns: (B, T, V) or (B, C). */
  INDArray logits(Batch batch);

  /** Mean loss over the batch's scored targets. */
  double loss(Batch batch);

  /** Generated ids per row; see {@link io.ablate.spi.model.Generator}. Fails if the model cannot generate. */
  int[][] generate(Batch batch, Decoding decoding);

  /** Whether {@link #generate} is available. */
  boolean canGenerate();
}
