package io.ablate.spi.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which keys a query may see. Kept semantic (not an additive matrix) so that attention variants
 * without explicit scores (linear attention) can honour it too; {@link Masks} builds the additive form.
 *
 * @param causal query i sees keys j ≤ i only
 * @param keyValid (B, Tk), 1 for real tokens and 0 for padding; null when nothing is padded
 */
public record AttentionMask(boolean causal, INDArray keyValid) {
  public static final AttentionMask NONE = new AttentionMask(false, null);
  public static final AttentionMask CAUSAL = new AttentionMask(true, null);

  public static AttentionMask padding(INDArray keyValid) {
    return new AttentionMask(false, keyValid);
  }

  public AttentionMask withCausal(boolean causal) {
    return new AttentionMask(causal, keyValid);
  }
}
