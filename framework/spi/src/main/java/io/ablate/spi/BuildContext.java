package io.ablate.spi;

import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Parameters;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;

/**
 * What a factory sees while it builds a component. Contexts are immutable: {@link #scope},
 * {@link #withDims} and {@link #withPositional} return derived contexts for sub-components.
 */
public interface BuildContext {
  /** Builds any registered component by name, with this context; unknown names fail with suggestions. */
  <T> T create(Family<T> family, ComponentSpec spec);

  /** Parameters and buffers, named under the current scope (e.g. {@code blocks.0.attention.w_q}). */
  Parameters params();

  /** The dotted name of the current scope, e.g. {@code blocks.0.attention} (empty at the root). */
  String path();

  /** A context whose parameters are named under {@code name} (appended to the current scope). */
  BuildContext scope(String name);

  /** Width and heads of the stack being built; set by the architecture. */
  Dims dims();

  BuildContext withDims(Dims dims);

  /** What the model reads and predicts: objective, vocabulary, classes, sequence length, image shape. */
  ModelIO io();

  /** A context whose {@link #io()} is replaced, e.g. a longer {@code maxLength} for a prepended [CLS]. */
  BuildContext withIo(ModelIO io);

  /**
   * The positional encoding attention should apply through its query/key and score hooks: the
   * architecture's choice for self-attention, {@code none} for cross-attention.
   */
  PositionalEncoding positional();

  BuildContext withPositional(PositionalEncoding positional);

  /** Training or evaluation mode, and attention capture; shared by every component of a model. */
  RunState state();

  /** The seeded generator for initialisation; same seed, same parameters. */
  Rng rng();

  /** The task's tokenized training text, for components that pre-train on it (word2vec). */
  TokenCorpus corpus();
}
