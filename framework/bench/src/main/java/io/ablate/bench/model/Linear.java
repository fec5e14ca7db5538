package io.ablate.bench.model;

import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.MatMul;

/** {@code y = x · W + b}, W of shape (in, out). */
public final class Linear {
  final Tensor weight;
  final Tensor bias;

  public Linear(Init init, String name, int in, int out) {
    this.weight = init.normal(name + ".weight", 0.02, in, out);
    this.bias = init.zeros(name + ".bias", out);
  }

  public Tensor forward(Tensor x) {
    return MatMul.linear(x, weight, bias);
  }
}
