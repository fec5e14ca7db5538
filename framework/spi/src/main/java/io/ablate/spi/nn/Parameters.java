package io.ablate.spi.nn;

import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Creates named, trainable parameters and non-trainable buffers (running statistics) under the
 * current scope. Everything created here is saved in checkpoints and restored exactly.
 */
public interface Parameters {
  /** The floating-point type of parameters. */
  DataType type();

  /** A trainable parameter with this initial value; the name is prefixed with the scope. */
  Tensor create(String name, INDArray initial);

  /** A non-trainable array saved with checkpoints (e.g. batch-norm running mean). */
  INDArray buffer(String name, INDArray initial);

  /** N(0, std²) initialised parameter. */
  Tensor normal(String name, double std, long... shape);

  /** U(low, high) initialised parameter. */
  Tensor uniform(String name, double low, double high, long... shape);

  Tensor zeros(String name, long... shape);

  Tensor ones(String name, long... shape);
}
