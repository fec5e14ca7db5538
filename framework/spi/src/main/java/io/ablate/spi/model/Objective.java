package io.ablate.spi.model;

/** What a model is trained to predict; a task asks for one, an architecture supports some. */
public enum Objective {
  /** Next token at every position of a causal model: logits (B, T, V). */
  LANGUAGE_MODEL,
  /** Tokens at masked positions of a bidirectional model: logits (B, T, V). */
  MASKED_LM,
  /** One class per sequence, read from the [CLS] position: logits (B, C). */
  CLASSIFICATION,
  /** Target sequence given a source sequence: decoder logits (B, Tt, V). */
  SEQ2SEQ,
  /** One class per image, from patch vectors: logits (B, C). */
  IMAGE_CLASSIFICATION
}
