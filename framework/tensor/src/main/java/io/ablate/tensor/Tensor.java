package io.ablate.tensor;

import io.ablate.tensor.ops.Activations;
import io.ablate.tensor.ops.Arithmetic;
import io.ablate.tensor.ops.MatMul;
import io.ablate.tensor.ops.Reductions;
import io.ablate.tensor.ops.Shapes;
import io.ablate.tensor.ops.Softmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An n-dimensional array that remembers how it was computed, so that {@link #backward()} can
 * compute the gradient of a scalar loss with respect to every tensor that {@link #requiresGrad()}.
 *
 * <p>A tensor is either a leaf (a constant, an input, or a parameter) or the output of an op, in
 * which case it holds a {@link Node} with the op's inputs and backward function. Ops are eager: the
 * value is computed when the op is called. The fluent methods here delegate to the op classes in
 * {@code io.ablate.tensor.ops}.
 */
public final class Tensor {
  private INDArray value;
  private INDArray grad;
  private final boolean requiresGrad;
  private final Node node;
  private String name;

  private Tensor(INDArray value, boolean requiresGrad, Node node) {
    this.value = value;
    this.requiresGrad = requiresGrad;
    this.node = node;
  }

  // ---- creation ---------------------------------------------------------------------------

  /** A leaf that never receives a gradient (data, masks, position tables). */
  public static Tensor constant(INDArray value) {
    return new Tensor(value, false, null);
  }

  /** A leaf that accumulates a gradient (a trainable parameter or an input under test). */
  public static Tensor variable(INDArray value) {
    return new Tensor(value, true, null);
  }

  /** A named trainable leaf. */
  public static Tensor parameter(String name, INDArray value) {
    Tensor t = new Tensor(value, true, null);
    t.name = name;
    return t;
  }

  public static Tensor scalar(double v, DataType type) {
    return constant(org.nd4j.linalg.factory.Nd4j.scalar(type, v));
  }

  /**
   * The output of an op. Records the op on the graph when gradients are enabled and any input
   * requires one; otherwise returns a constant. For op implementers (including plugins).
   */
  public static Tensor fromOp(String op, INDArray value, BackwardFn backward, Tensor... inputs) {
    if (ownsItsBuffer(value, inputs)) {
      Arena.track(value);
    }
    if (OpProfiler.enabled()) {
      OpProfiler.forwardDone(op);
    }
    return recordedFor(inputs) ? new Tensor(value, true, new Node(op, inputs, backward))
        : new Tensor(value, false, null);
  }

  /**
   * Whether an op on these inputs is recorded now: gradients on and some input needs one (null
   * inputs, such as an absent bias, count as not). An op that keeps arrays only for its backward
   * can skip making them otherwise.
   */
  public static boolean recordedFor(Tensor... inputs) {
    if (!GradMode.isEnabled()) {
      return false;
    }
    for (Tensor input : inputs) {
      if (input != null && input.requiresGrad) {
        return true;
      }
    }
    return false;
  }

  /** False for a view of an input (reshape, slice, …): the input's owner frees that memory. */
  private static boolean ownsItsBuffer(INDArray value, Tensor[] inputs) {
    for (Tensor input : inputs) {
      if (Memory.sharesBuffer(value, input.value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Keeps an array that only the backward function reads (freed with the graph). Call it after
   * the op's value is computed: when nothing is recorded, the array is freed at once.
   */
  public Tensor saveForBackward(INDArray array) {
    if (node == null) {
      Memory.release(array);
    } else {
      node.saved.add(array);
      Arena.track(array);
    }
    return this;
  }

  // ---- state ------------------------------------------------------------------------------

  public INDArray value() {
    if (value.wasClosed()) {
      throw new TensorException("the value of " + describe() + " was released (after backward(), or when its"
          + " Arena closed); read what you need before, call backward(false), or Arena.keep it");
    }
    return value;
  }

  /** The value without the released check, for the engine's own bookkeeping. */
  INDArray rawValue() {
    return value;
  }

  /** Replaces the value of a leaf in place of identity (used to move parameters into flat storage). */
  public void rebind(INDArray newValue) {
    if (node != null) {
      throw new TensorException("only leaf tensors can be rebound, not the output of " + node.op);
    }
    if (!java.util.Arrays.equals(newValue.shape(), value.shape())) {
      throw new TensorException("rebind: shape " + TensorException.shape(newValue.shape())
          + " differs from " + TensorException.shape(value.shape()));
    }
    value = newValue;
  }

  /** The accumulated gradient; throws if none has been computed. */
  public INDArray grad() {
    if (grad == null) {
      throw new TensorException("no gradient for " + describe()
          + (requiresGrad ? "; call backward() on a loss that depends on it" : "; it does not require one"));
    }
    return grad;
  }

  public INDArray gradOrNull() {
    return grad;
  }

  /** Sets the gradient array; for leaves, a view into flat optimizer storage. */
  public void setGrad(INDArray grad) {
    this.grad = grad;
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  public boolean isLeaf() {
    return node == null;
  }

  Node node() {
    return node;
  }

  /** The op that produced this tensor, or null for a leaf. */
  public String op() {
    return node == null ? null : node.op;
  }

  public String name() {
    return name;
  }

  public Tensor named(String name) {
    this.name = name;
    return this;
  }

  public long[] shape() {
    return value.shape();
  }

  public long size(int axis) {
    return value.size(axis < 0 ? axis + value.rank() : axis);
  }

  public int rank() {
    return value.rank();
  }

  public DataType dataType() {
    return value.dataType();
  }

  /** The single value of a one-element tensor. */
  public double item() {
    if (value().length() != 1) {
      throw new TensorException("item() needs a one-element tensor, got shape " + TensorException.shape(shape()));
    }
    return value.getDouble(0);
  }

  /** A constant with the same value (shares the buffer); gradients stop here. */
  public Tensor detach() {
    return constant(value());
  }

  String describe() {
    String what = name != null ? "'" + name + "'" : node != null ? "the output of " + node.op : "a leaf tensor";
    return what + " " + TensorException.shape(value.shape());
  }

  @Override
  public String toString() {
    return "Tensor" + TensorException.shape(value.shape()) + (node != null ? " <" + node.op + ">" : "")
        + (name != null ? " '" + name + "'" : "");
  }

  // ---- backward -----------------------------------------------------------------------------

  /** Backpropagates from this scalar and frees the graph's intermediates afterwards. */
  public void backward() {
    Autograd.backward(this, null, true);
  }

  /** Backpropagates; with {@code releaseGraph = false} the intermediates stay readable. */
  public void backward(boolean releaseGraph) {
    Autograd.backward(this, null, releaseGraph);
  }

  /** Backpropagates from a non-scalar tensor given the gradient of its output. */
  public void backward(INDArray outputGrad) {
    Autograd.backward(this, outputGrad, true);
  }

  // ---- fluent ops ---------------------------------------------------------------------------

  public Tensor add(Tensor other) { return Arithmetic.add(this, other); }
  public Tensor sub(Tensor other) { return Arithmetic.sub(this, other); }
  public Tensor mul(Tensor other) { return Arithmetic.mul(this, other); }
  public Tensor div(Tensor other) { return Arithmetic.div(this, other); }
  public Tensor add(double s) { return Arithmetic.addScalar(this, s); }
  public Tensor mul(double s) { return Arithmetic.mulScalar(this, s); }
  public Tensor neg() { return Arithmetic.mulScalar(this, -1); }
  public Tensor pow(double p) { return Arithmetic.pow(this, p); }
  public Tensor matmul(Tensor other) { return MatMul.matmul(this, other); }

  public Tensor exp() { return Activations.exp(this); }
  public Tensor log() { return Activations.log(this); }
  public Tensor sqrt() { return Activations.sqrt(this); }
  public Tensor rsqrt() { return Activations.rsqrt(this); }
  public Tensor tanh() { return Activations.tanh(this); }
  public Tensor sigmoid() { return Activations.sigmoid(this); }
  public Tensor relu() { return Activations.relu(this); }
  public Tensor gelu() { return Activations.gelu(this); }
  public Tensor silu() { return Activations.silu(this); }
  public Tensor sin() { return Activations.sin(this); }
  public Tensor cos() { return Activations.cos(this); }

  public Tensor sum() { return Reductions.sumAll(this); }
  public Tensor mean() { return Reductions.meanAll(this); }
  public Tensor sum(boolean keepDims, int... axes) { return Reductions.sum(this, keepDims, axes); }
  public Tensor mean(boolean keepDims, int... axes) { return Reductions.mean(this, keepDims, axes); }
  public Tensor variance(boolean keepDims, int... axes) { return Reductions.variance(this, keepDims, axes); }

  public Tensor reshape(long... shape) { return Shapes.reshape(this, shape); }
  public Tensor permute(int... axes) { return Shapes.permute(this, axes); }
  public Tensor transpose(int a, int b) { return Shapes.transpose(this, a, b); }
  public Tensor slice(int axis, long start, long end) { return Shapes.slice(this, axis, start, end); }
  public Tensor maskedFill(INDArray mask, double fill) { return Shapes.maskedFill(this, mask, fill); }

  public Tensor softmax(int axis) { return Softmax.softmax(this, axis); }
  public Tensor logSoftmax(int axis) { return Softmax.logSoftmax(this, axis); }
}
