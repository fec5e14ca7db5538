package io.ablate.tensor;

import io.ablate.tensor.ops.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where backward functions deposit input gradients. Distinguishes arrays the backward function
 * allocated ({@link #add}: ownership passes here) from arrays it merely passes through or views
 * ({@link #addShared}: copied if they have to be stored), so no gradient buffer is ever shared by
 * two tensors.
 */
public final class Gradients {
  Gradients() {}

  /** Adds a freshly allocated gradient; this takes ownership of {@code grad}. */
  public void add(Tensor input, INDArray grad) {
    if (!input.requiresGrad()) {
      Memory.release(grad);
      return;
    }
    checkShape(input, grad);
    INDArray existing = input.gradOrNull();
    if (existing == null) {
      input.setGrad(grad.isView() ? grad.dup() : grad);
    } else {
      Kernels.addi(existing, grad);
      Memory.release(grad);
    }
  }

  /** Adds a gradient this object does not own (the upstream gradient itself, or a view of it). */
  public void addShared(Tensor input, INDArray grad) {
    if (!input.requiresGrad()) {
      return;
    }
    checkShape(input, grad);
    INDArray existing = input.gradOrNull();
    if (existing == null) {
      input.setGrad(grad.dup('c'));
    } else {
      Kernels.addi(existing, grad);
    }
  }

  /** Adds a gradient of the broadcast output shape, summed down to the input's shape. */
  public void addBroadcast(Tensor input, INDArray grad) {
    if (!input.requiresGrad()) {
      return;
    }
    if (java.util.Arrays.equals(input.shape(), grad.shape())) {
      addShared(input, grad);
    } else {
      add(input, Broadcast.reduceTo(grad, input.shape()));
    }
  }

  private static void checkShape(Tensor input, INDArray grad) {
    if (!java.util.Arrays.equals(input.shape(), grad.shape())) {
      throw new TensorException("backward produced a gradient of shape " + TensorException.shape(grad.shape())
          + " for an input of shape " + TensorException.shape(input.shape())
          + (input.op() != null ? " (output of " + input.op() + ")" : ""));
    }
  }
}
