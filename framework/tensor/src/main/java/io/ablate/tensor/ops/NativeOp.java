package io.ablate.tensor.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs one libnd4j custom op by name with explicit output arrays. */
final class NativeOp {
  private NativeOp() {}

  static void exec(String name, INDArray[] inputs, INDArray[] outputs, long... intArgs) {
    Kernels.exec(name, inputs, outputs, intArgs);
  }

  static INDArray like(INDArray array) {
    return Nd4j.createUninitialized(array.dataType(), array.shape());
  }
}
