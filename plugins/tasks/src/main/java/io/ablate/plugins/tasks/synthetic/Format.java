package io.ablate.plugins.tasks.synthetic;

/** How a source → target task is laid out for a model. */
public enum Format {
  /** One sequence {@code source > target [EOS]} for a causal LM; loss only on the target part. */
  LM,
  /** Source to an encoder, target to a decoder. */
  SEQ2SEQ
}
