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

  /**
   * The input's gradient so far, for a backward function to add its own into in place (a product
   * with β = 1, saving a temporary and an add); null when the input has none yet or needs none.
   * Whoever adds into it must not also pass the same gradient to {@link #add}.
   */
  public INDArray accumulator(Tensor input) {
    return input.requiresGrad() ? writable(input) : null;
  }

  /** Adds a gradient this object does not own (the upstream gradient itself, or a view of it). */
  public void addShared(Tensor input, INDArray grad) {
    if (!input.requiresGrad()) {
      return;
    }
    checkShape(input, grad);
    INDArray existing = writable(input);
    if (existing == null && !adopted && wholeUpstream(grad)) {
      // The op's own output gradient, dead once this backward returns, or all of it under another
      // shape or axis order: keep it instead of copying (the residual adds pass theirs to both
      // inputs, one copy instead of two; reshapes and permutes pass theirs on without a copy).
      input.setGrad(grad);
      if (grad != upstream) {
        BufferPool.transfer(upstream, grad);
      }
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
   * Whether {@code grad} is the upstream gradient or all of it under another shape or axis order
   * (the same buffer object, dense in some axis order: a reshape's or permute's backward), so it can
   * be kept as it is. Backward functions that read a gradient as flat memory take a dense copy of a
   * permuted one ({@code DenseCopy}).
   */
  private boolean wholeUpstream(INDArray grad) {
    if (grad == upstream) {
      return !grad.isView() && grad.ordering() == 'c';
    }
    return grad.data() == upstream.data() && grad.length() == upstream.length() && Layout.fillsItsBuffer(grad);
  }

  /**
   * The input's gradient, ready to accumulate into; if it is the adopted upstream gradient, which
   * the running backward function may still read, it is first replaced by a copy.
   */
  private INDArray writable(Tensor input) {
    INDArray existing = input.gradOrNull();
    if (adopted && existing != null && existing.data() == upstream.data()) {
      INDArray copy = existing.dup('c');
      if (existing != upstream) {
        BufferPool.transfer(existing, upstream);                 // the buffer is upstream's again, freed with it
      }
      input.setGrad(copy);
      adopted = false;
      existing = copy;
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
