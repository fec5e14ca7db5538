package io.ablate.spi.text;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Cuts images into flattened patches, the "tokens" of a vision transformer. */
public interface PatchTokenizer extends Tokenizer {
  /**
   * @param images (B, C, H, W)
   * @return (B, N, C·P·P) with N = (H/P)·(W/P) patches in row-major order
   */
  INDArray patches(INDArray images);

  /** Length C·P·P of one patch vector for images with {@code channels} channels. */
  int patchDim(int channels);

  /** Number of patches N for an H×W image. */
  int patchCount(int height, int width);
}
