package io.ablate.tensor.ops;

import io.ablate.tensor.Memory;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.TensorException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax and log-softmax along one axis, optionally masked. A mask is broadcast against the
 * input; where it is zero the logit is replaced by {@link #MASKED} (not −∞, so a fully masked row
 * gives a uniform distribution instead of NaN).
 */
public final class Softmax {
  /** The logit given to masked positions. */
  public static final double MASKED = -1e9;

  private Softmax() {}

  public static Tensor softmax(Tensor a, int axis) {
    int d = axis(a, axis);
    INDArray out;
    if (a.dataType() == DataType.DOUBLE) {
      // libnd4j's double kernel does not subtract the row maximum: a fully masked row gives 0/0
      out = logSoftmaxOf(a.value(), d);
      Transforms.exp(out, false);
    } else {
      out = NativeOp.like(a.value());
      NativeOp.exec("softmax", new INDArray[] {a.value()}, new INDArray[] {out}, d);
    }
    return Tensor.fromOp("softmax", out, (g, grads) -> {
      // dx = y ⊙ (g − Σ g⊙y)
      INDArray gy = Kernels.mul(g, out);
      INDArray dot = d == a.rank() - 1 ? RowSums.sumLast(gy) : Kernels.sum(gy, true, d);
      INDArray d2 = Kernels.mul(out, dot);
      Kernels.subi(gy, d2);
      Memory.release(dot);
      Memory.release(d2);
      grads.add(a, gy);
    }, a);
  }

  public static Tensor logSoftmax(Tensor a, int axis) {
    int d = axis(a, axis);
    INDArray out = logSoftmaxOf(a.value(), d);
    return Tensor.fromOp("log_softmax", out, (g, grads) -> {
      // dx = g − softmax ⊙ Σ g
      INDArray total = d == a.rank() - 1 ? RowSums.sumLast(g) : Kernels.sum(g, true, d);
      INDArray soft = Kernels.muli(Transforms.exp(out, true), total);
      Memory.release(total);
      grads.add(a, Kernels.rsubi(soft, g));
    }, a);
  }

  /**
   * {@code x − max − log Σ exp(x − max)}: finite wherever x is (libnd4j's log_softmax takes the log
   * of the softmax and gives −∞ for very negative logits).
   */
  static INDArray logSoftmaxOf(INDArray x, int axis) {
    INDArray max = Kernels.max(x, true, axis);
    INDArray out = Kernels.sub(x, max);
    INDArray exps = Transforms.exp(out, true);
    INDArray sumExp = axis == x.rank() - 1 ? RowSums.sumLast(exps) : Kernels.sum(exps, true, axis);
    Memory.release(exps);
    Transforms.log(sumExp, false);
    Kernels.subi(out, sumExp);
    Memory.release(max);
    Memory.release(sumExp);
    return out;
  }

  /**
   * {@code softmax(scale·a + bias)} along the last axis, in one pass on the CPU (attention scores);
   * the bias is a constant such as an attention mask of 0 and {@link #MASKED}, broadcast over the
   * leading axes of size 1, or null.
   */
  public static Tensor scaledSoftmax(Tensor a, double scale, INDArray bias) {
    if (ScaledSoftmax.supports(a.value(), bias)) {
      INDArray out = ScaledSoftmax.forward(a.value(), scale, bias);
      return Tensor.fromOp("scaled_softmax", out,
          (g, grads) -> grads.add(a, ScaledSoftmax.backward(out, g, scale)), a);
    }
    Tensor x = scale == 1 ? a : a.mul(scale);
    return softmax(bias == null ? x : x.add(Tensor.constant(bias)), -1);
  }

  /** Softmax where {@code keep} (broadcastable to a, 1 = attend, 0 = masked) hides positions. */
  public static Tensor softmax(Tensor a, int axis, INDArray keep) {
    return softmax(a.add(Tensor.constant(maskBias(keep, a))), axis);
  }

  public static Tensor logSoftmax(Tensor a, int axis, INDArray keep) {
    return logSoftmax(a.add(Tensor.constant(maskBias(keep, a))), axis);
  }

  /** 0 where kept, {@link #MASKED} where masked, in the input's data type. */
  public static INDArray maskBias(INDArray keep, Tensor like) {
    return keep.castTo(like.dataType()).neq(0).castTo(like.dataType()).rsubi(1).muli(MASKED);
  }

  private static int axis(Tensor a, int axis) {
    int d = axis < 0 ? axis + a.rank() : axis;
    if (d < 0 || d >= a.rank()) {
      throw TensorException.forOp("softmax", "axis " + axis + " out of range", a);
    }
    return d;
  }
}
