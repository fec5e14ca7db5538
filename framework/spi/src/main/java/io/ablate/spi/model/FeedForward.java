package io.ablate.spi.model;

import io.ablate.tensor.Tensor;

/** The position-wise MLP of a block. */
public interface FeedForward {
  /** (B, T, D) → (B, T, D). */
  Tensor forward(Tensor x);
}
