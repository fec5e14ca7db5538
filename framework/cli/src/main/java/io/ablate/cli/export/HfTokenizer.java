package io.ablate.cli.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ablate.spi.text.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained tokenizer as a Hugging Face {@code tokenizer.json} (the {@code tokenizers} library's
 * format) that gives the same ids. Each tokenizer says how it is expressed
 * ({@link TextTokenizer#huggingFaceJson}): {@code char} and {@code word} as WordLevel, {@code wordpiece}
 * as WordPiece, {@code bpe} as BPE with an end-of-word suffix, {@code byte-bpe} as byte-level BPE;
 * one the format cannot express is refused with the reason.
 */
public final class HfTokenizer {
  private HfTokenizer() {}

  public static void write(String kind, TextTokenizer tokenizer, Path file) throws IOException {
    Map<String, Object> json;
    try {
      json = tokenizer.huggingFaceJson();
    } catch (UnsupportedOperationException e) {
      throw new IllegalArgumentException("--format hf-tokenizer cannot express this run's tokenizer '" + kind + "': "
          + e.getMessage());
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
  }
}
