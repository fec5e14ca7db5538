package io.ablate.plugins.architectures.block;

/** Where a block normalises: before each sub-layer (pre-LN) or after each residual sum (post-LN). */
public enum Placement {
  /** {@code x + f(norm(x))}: stable without warm-up (Xiong et al. 2020). */
  PRE,
  /** {@code norm(x + f(x))}: the original Transformer. */
  POST
}
