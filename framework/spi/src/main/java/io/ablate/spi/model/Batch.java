package io.ablate.spi.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One minibatch, laid out for its objective. Token ids are integer arrays; masks are 1 for real
 * tokens and 0 for padding; targets use {@link #IGNORE} where no prediction is scored.
 *
 * @param objective which fields are set
 * @param tokens (B, T) input ids: the sequence (LM, MLM, classification) or the source (seq2seq)
 * @param tokenMask (B, T) or null when nothing is padded
 * @param targets (B, T) or (B, Tt) target ids, or (B) class labels
 * @param decoderTokens (B, Tt) decoder input ids for seq2seq ([BOS] y1 … y(n-1)), else null
 * @param decoderMask (B, Tt) or null
 * @param patches (B, N, P) patch vectors for image classification, else null
 */
public record Batch(
    Objective objective,
    INDArray tokens,
    INDArray tokenMask,
    INDArray targets,
    INDArray decoderTokens,
    INDArray decoderMask,
    INDArray patches) {

  /** Target id that contributes no loss. */
  public static final long IGNORE = -1;

  public static Batch languageModel(INDArray tokens, INDArray targets) {
    return new Batch(Objective.LANGUAGE_MODEL, tokens, null, targets, null, null, null);
  }

  public static Batch maskedLm(INDArray tokens, INDArray tokenMask, INDArray targets) {
    return new Batch(Objective.MASKED_LM, tokens, tokenMask, targets, null, null, null);
  }

  public static Batch classification(INDArray tokens, INDArray tokenMask, INDArray labels) {
    return new Batch(Objective.CLASSIFICATION, tokens, tokenMask, labels, null, null, null);
  }

  public static Batch seq2seq(INDArray source, INDArray sourceMask, INDArray decoderTokens,
      INDArray decoderMask, INDArray targets) {
    return new Batch(Objective.SEQ2SEQ, source, sourceMask, targets, decoderTokens, decoderMask, null);
  }

  public static Batch images(INDArray patches, INDArray labels) {
    return new Batch(Objective.IMAGE_CLASSIFICATION, null, null, labels, null, null, patches);
  }

  public long size() {
    return patches != null ? patches.size(0) : tokens.size(0);
  }
}
