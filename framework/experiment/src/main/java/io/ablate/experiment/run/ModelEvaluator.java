package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Generator;
import io.ablate.spi.task.Evaluator;
import io.ablate.tensor.Arena;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A task's view of the model during evaluation: no gradients, evaluation mode set by the caller.
 * Each pass runs in an {@link Arena}, so its arrays go back to the buffer pool as it returns (not
 * at some later garbage collection) and the next batch reuses them.
 */
final class ModelEvaluator implements Evaluator {
  private final BuiltModel model;

  ModelEvaluator(BuiltModel model) {
    this.model = model;
  }

  @Override
  public INDArray logits(Batch batch) {
    try (Arena pass = Arena.open(); var ignored = GradMode.noGrad()) {
      Tensor logits = model.model().logits(batch);
      return logits.value().dup();
    }
  }

  @Override
  public double loss(Batch batch) {
    try (Arena pass = Arena.open(); var ignored = GradMode.noGrad()) {
      return model.model().loss(batch).item();
    }
  }

  @Override
  public int[][] generate(Batch batch, Decoding decoding) {
    if (!(model.model() instanceof Generator generator)) {
      throw new UnsupportedOperationException("this architecture cannot generate");
    }
    try (var ignored = GradMode.noGrad()) {
      return generator.generate(batch, decoding);
    }
  }

  @Override
  public boolean canGenerate() {
    return model.model() instanceof Generator;
  }
}
