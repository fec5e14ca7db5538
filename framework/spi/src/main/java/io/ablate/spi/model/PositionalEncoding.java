package io.ablate.spi.model;

import io.ablate.tensor.Tensor;
import java.util.Set;

/**
 * A positional encoding acts through up to three hook points, so that it combines with any
 * attention variant. Implement the hooks you need and declare them in {@link #hooks()}.
 *
 * <p>Positions are 0..T-1 along the sequence axis of the tensors passed in.
 */
public interface PositionalEncoding {
  /** The places where an encoding acts. */
  enum Hook {
    /** Added to the token embeddings before the first block (sinusoidal, learned). */
    INPUT,
    /** Applied to queries and keys before their dot product (rotary). */
    QUERY_KEY,
    /** Added to the attention logits (Shaw, T5 buckets, ALiBi). */
    SCORES
  }

  /** No positional information at all: every hook is the identity. */
  PositionalEncoding NONE = Set::of;

  /** A pair of queries and keys after {@link #rotate}. */
  record QueryKey(Tensor query, Tensor key) {}

  Set<Hook> hooks();

  /**
   * INPUT hook.
   *
   * @param x token embeddings (B, T, D)
   * @return (B, T, D)
   */
  default Tensor embed(Tensor x) {
    return x;
  }

  /**
   * QUERY_KEY hook.
   *
   * @param query (B, H, Tq, Dh)
   * @param key (B, Hk, Tk, Dh)
   */
  default QueryKey rotate(Tensor query, Tensor key) {
    return new QueryKey(query, key);
  }

  /**
   * SCORES hook: a term added to the logits {@code q·k / scale}.
   *
   * @param query (B, H, Tq, Dh), for encodings whose term depends on the query (Shaw)
   * @param keyLength Tk
   * @return broadcastable to (B, H, Tq, Tk), or null for no term
   */
  default Tensor scoreBias(Tensor query, int keyLength) {
    return null;
  }
}
