package io.ablate.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Given the gradient of the loss with respect to an op's output, adds the gradients of its inputs. */
@FunctionalInterface
public interface BackwardFn {
  void apply(INDArray upstream, Gradients grads);
}
