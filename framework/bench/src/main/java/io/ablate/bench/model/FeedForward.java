package io.ablate.bench.model;

import io.ablate.tensor.Tensor;

/** Position-wise {@code W2 · gelu(W1 · x)}. */
public final class FeedForward {
  final Linear up;
  final Linear down;

  public FeedForward(Init init, String name, int dModel, int hidden) {
    this.up = new Linear(init, name + ".up", dModel, hidden);
    this.down = new Linear(init, name + ".down", hidden, dModel);
  }

  public Tensor forward(Tensor x) {
    return down.forward(up.forward(x).gelu());
  }
}
