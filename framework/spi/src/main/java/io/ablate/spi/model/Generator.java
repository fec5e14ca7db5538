package io.ablate.spi.model;

/** A model that generates tokens: decoders continue a prompt, encoder-decoders map a source. */
public interface Generator {
  /**
   * @param batch LM: {@code tokens} (B, T) is the prompt, all rows the same length; seq2seq:
   *     {@code tokens}/{@code tokenMask} are the source
   * @return for each row, the generated ids only (stopping after [EOS], which is included)
   */
  int[][] generate(Batch batch, Decoding decoding);
}
