package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Memory;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.TensorException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Loss functions returning a scalar tensor. */
public final class Losses {
  /** Pass as {@code ignoreIndex} when no target is to be ignored. */
  public static final long NO_IGNORE = Long.MIN_VALUE;

  private Losses() {}

  /**
   * Mean cross-entropy of {@code logits (..., C)} against integer {@code targets (...)}, averaged
   * over targets not equal to {@code ignoreIndex} (padding). With no valid target the loss is 0.
   * Fused: one log-softmax forward, {@code (softmax − onehot) / count} backward.
   */
  public static Tensor crossEntropy(Tensor logits, INDArray targets, long ignoreIndex) {
    long classes = logits.size(-1);
    long rows = logits.value().length() / classes;
    if (targets.length() != rows) {
      throw new TensorException("cross_entropy: " + rows + " rows of logits " + TensorException.shape(logits.shape())
          + " but " + targets.length() + " targets " + TensorException.shape(targets.shape()));
    }
    DataType type = logits.dataType();
    INDArray logits2 = Views.matrix(logits.value(), rows, classes);                   // (N, C)
    if (FusedCrossEntropy.supports(logits2) && DenseCopy.isDense(logits.value())) {
      return fused(logits, logits2, targets, ignoreIndex);
    }
    INDArray ids = targets.reshape(rows).castTo(DataType.INT64);                    // (N)
    INDArray valid;                                                                // (N, 1)
    if (ignoreIndex == NO_IGNORE) {
      valid = Nd4j.ones(type, rows, 1);
    } else {
      INDArray kept = ids.neq(ignoreIndex);
      valid = kept.castTo(type).reshape(rows, 1);
      Memory.release(kept);
    }
    checkRange(ids, valid, classes);
    INDArray logp = Softmax.logSoftmaxOf(logits2, 1);                              // (N, C)
    INDArray onehot = BufferPool.uninitialized(type, rows, classes);                // (N, C), 0 rows for ignored
    NativeOp.exec("onehot", new INDArray[] {ids}, new INDArray[] {onehot}, -1, classes);
    if (!Memory.sharesBuffer(ids, targets)) {
      Memory.release(ids);                                                          // the cast's own copy
    }
    onehot.muliColumnVector(valid);
    double count = Kernels.sumAll(valid);
    INDArray pickedLogp = Kernels.mul(onehot, logp);
    double picked = Kernels.sumAll(pickedLogp);
    Memory.release(pickedLogp);
    double loss = count == 0 ? 0.0 : -picked / count;
    INDArray out = Nd4j.scalar(type, loss);
    return Tensor.fromOp("cross_entropy", out, (g, grads) -> {
      double scale = count == 0 ? 0.0 : g.getDouble(0) / count;
      INDArray d = BufferPool.uninitialized(type, logits.shape());
      INDArray d2 = Views.matrix(d, rows, classes);                                   // (N, C) view of d
      Transforms.exp(d2.assign(logp), false);                                        // softmax
      d2.subi(onehot).muliColumnVector(valid).muli(scale);
      grads.add(logits, d);
    }, logits).saveForBackward(logp).saveForBackward(onehot).saveForBackward(valid);
  }

  /** The float32 kernel: nothing of (N, C) kept for backward but the logits themselves. */
  private static Tensor fused(Tensor logits, INDArray logits2, INDArray targets, long ignoreIndex) {
    INDArray ids = targets.reshape(targets.length()).castTo(DataType.INT64);
    long[] idValues = ids.toLongVector();
    if (!Memory.sharesBuffer(ids, targets)) {
      Memory.release(ids);
    }
    FusedCrossEntropy.Forward f = FusedCrossEntropy.forward(logits2, idValues, ignoreIndex);
    INDArray out = Nd4j.scalar(logits.dataType(), f.loss());
    return Tensor.fromOp("cross_entropy", out, (g, grads) -> {
      INDArray d = BufferPool.uninitialized(logits.dataType(), logits.shape());
      FusedCrossEntropy.backward(logits2, f.saved(), g.getDouble(0), d);
      grads.add(logits, d);
    }, logits);
  }

  private static void checkRange(INDArray ids, INDArray valid, long classes) {
    INDArray asValues = ids.castTo(valid.dataType());
    INDArray masked = Kernels.mul(asValues, valid.reshape(valid.length()));        // (N)
    if (asValues != ids) {
      Memory.release(asValues);
    }
    double[] range = Kernels.minMax(masked);
    long min = (long) range[0];
    long max = (long) range[1];
    Memory.release(masked);
    if (min < 0 || max >= classes) {
      throw new TensorException("cross_entropy: targets must lie in [0, " + classes + ") or equal the ignore index;"
          + " found values in [" + min + ", " + max + "]");
    }
  }
}
