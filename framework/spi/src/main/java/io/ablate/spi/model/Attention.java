package io.ablate.spi.model;

import io.ablate.tensor.Tensor;

/**
 * Multi-head attention of some kind. Self-attention passes the same tensor twice; cross-attention
 * passes the encoder output as {@code keyValue}. Implementations apply the positional hooks of
 * {@code BuildContext.positional()} captured at build time, and report weights to
 * {@link RunState#record} when capturing.
 */
public interface Attention {
  /**
   * @param query (B, Tq, D)
   * @param keyValue (B, Tk, D)
   * @return (B, Tq, D)
   */
  Tensor forward(Tensor query, Tensor keyValue, AttentionMask mask);
}
