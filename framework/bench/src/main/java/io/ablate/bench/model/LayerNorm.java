package io.ablate.bench.model;

import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Norms;

/** LayerNorm over the feature axis with a learned gain and bias. */
public final class LayerNorm {
  private static final double EPS = 1e-5;
  final Tensor gain;
  final Tensor bias;

  public LayerNorm(Init init, String name, int dim) {
    this.gain = init.ones(name + ".gain", dim);
    this.bias = init.zeros(name + ".bias", dim);
  }

  public Tensor forward(Tensor x) {
    return Norms.layerNorm(x, gain, bias, EPS);
  }
}
