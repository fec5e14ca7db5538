package io.ablate.spi.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Turns task inputs into model inputs: {@link TextTokenizer} for text, {@link PatchTokenizer} for
 * images. A trained tokenizer is saved with its run and reloads to identical behaviour.
 */
public interface Tokenizer {
  /** Writes everything needed to restore this tokenizer (vocabulary, merges). */
  void save(OutputStream out) throws IOException;

  /** Restores the state written by {@link #save}; the tokenizer then behaves identically. */
  void load(InputStream in) throws IOException;
}
