package io.ablate.plugins.transformer.attention;

import io.ablate.tensor.Tensor;

/** The kernel feature map φ of linear attention: sim(q, k) = φ(q)·φ(k), never negative. */
public enum FeatureMap {
  /** φ(x) = elu(x) + 1 (Katharopoulos et al. 2020): positive everywhere. */
  ELU {
    @Override
    public Tensor apply(Tensor x) {
      // elu(x) + 1 = x + 1 for x > 0, exp(x) for x ≤ 0 = relu(x) + exp(−relu(−x))
      return x.relu().add(x.neg().relu().neg().exp());
    }
  },
  /** φ(x) = relu(x): sparse features; a query whose features are all zero attends to nothing. */
  RELU {
    @Override
    public Tensor apply(Tensor x) {
      return x.relu();
    }
  };

  /** Element-wise φ. */
  public abstract Tensor apply(Tensor x);
}
