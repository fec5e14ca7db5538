package io.ablate.spi.text;

import java.util.List;
import java.util.Map;

/**
 * Text to ids and back. Ids 0–5 are the {@link SpecialToken}s; ordinary tokens follow. Tokenizers
 * with a learned vocabulary build it in {@link #train}; fixed ones (byte-level) ignore the corpus.
 */
public interface TextTokenizer extends Tokenizer {
  /** Learns the vocabulary from the task's training text. Call once, before encoding. */
  void train(List<String> corpus);

  /** Ids of the text, without added special tokens; unknown characters map to a fallback. */
  int[] encode(String text);

  /** Text of the ids, special tokens skipped. {@code decode(encode(s))} gives s back for text the
   * tokenizer can represent (see each tokenizer's description for normalisation). */
  String decode(int[] ids);

  /** Ids in the vocabulary, special tokens included. */
  int vocabSize();

  /** The token written for an id, e.g. {@code "##ing"} or {@code "[CLS]"}. */
  String token(int id);

  /**
   * This tokenizer (trained or loaded) as a Hugging Face {@code tokenizer.json}, the format of the
   * {@code tokenizers} library, giving the same ids: a tree of maps, lists, strings, numbers and
   * nulls for a JSON writer. A tokenizer whose behaviour that format cannot express exactly throws
   * {@link UnsupportedOperationException} saying what.
   */
  default Map<String, Object> huggingFaceJson() {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot be exported as a Hugging Face tokenizer.json");
  }
}
