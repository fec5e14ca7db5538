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
  /** The gradient of the op whose backward is running (the backward function only reads it). */
  private INDArray upstream;
  /** Whether an input took {@link #upstream} over as its own gradient instead of a copy. */
  private boolean adopted;

  Gradients() {}

  /** Starts the backward of one op whose output gradient is {@code upstream}. */
  void begin(INDArray upstream) {
    this.upstream = upstream;
    this.adopted = false;
  }

  /** True when an input kept the upstream gradient itself: the caller must not free it. */
  boolean adoptedUpstream() {
    return adopted;
  }

  /** Adds a freshly allocated gradient; this takes ownership of {@code grad}. */
  public void add(Tensor input, INDArray grad) {
    if (!input.requiresGrad()) {
      Memory.release(grad);
      return;
    }
    checkShape(input, grad);
    INDArray existing = writable(input);
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
    INDArray existing = writable(input);
    if (existing == null && grad == upstream && !adopted && !grad.isView() && grad.ordering() == 'c') {
      // The op's own output gradient, dead once this backward returns: keep it instead of copying
      // (the residual adds pass theirs to both inputs, one copy instead of two).
      input.setGrad(grad);
      adopted = true;
    } else if (existing == null) {
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

  /**
   * The input's gradient, ready to accumulate into; if it is the adopted upstream gradient, which
   * the running backward function may still read, it is first replaced by a copy.
   */
  private INDArray writable(Tensor input) {
    INDArray existing = input.gradOrNull();
    if (adopted && existing == upstream) {
      existing = upstream.dup('c');
      input.setGrad(existing);
      adopted = false;
    }
    return existing;
  }

  private static void checkShape(Tensor input, INDArray grad) {
    if (!java.util.Arrays.equals(input.shape(), grad.shape())) {
      throw new TensorException("backward produced a gradient of shape " + TensorException.shape(grad.shape())
          + " for an input of shape " + TensorException.shape(input.shape())
          + (input.op() != null ? " (output of " + input.op() + ")" : ""));
    }
  }
}
