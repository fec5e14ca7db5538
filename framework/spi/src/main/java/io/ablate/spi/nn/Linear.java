package io.ablate.spi.nn;

import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.MatMul;

/** {@code y = x · W + b} with W of shape (in, out) initialised N(0, 0.02²); optional bias. */
public final class Linear {
  public static final double INIT_STD = 0.02;

  private final Tensor weight;
  private final Tensor bias;

  public Linear(Parameters params, String name, int in, int out, boolean bias) {
    this(params, name, in, out, bias, INIT_STD);
  }

  public Linear(Parameters params, String name, int in, int out, boolean bias, double std) {
    this.weight = params.normal(name + ".weight", std, in, out);
    this.bias = bias ? params.zeros(name + ".bias", out) : null;
  }

  /** (…, in) → (…, out). */
  public Tensor forward(Tensor x) {
    return MatMul.linear(x, weight, bias);
  }

  public Tensor weight() {
    return weight;
  }
}
