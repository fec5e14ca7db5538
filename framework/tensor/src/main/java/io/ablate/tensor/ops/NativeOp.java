package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs one libnd4j custom op by name with explicit output arrays. */
final class NativeOp {
  private NativeOp() {}

  static void exec(String name, INDArray[] inputs, INDArray[] outputs, long... intArgs) {
    Kernels.exec(name, inputs, outputs, intArgs);
  }

  static INDArray like(INDArray array) {
    return BufferPool.uninitialized(array.dataType(), array.shape());
  }
}
