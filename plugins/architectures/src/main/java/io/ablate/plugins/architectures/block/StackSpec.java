package io.ablate.plugins.architectures.block;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.PositionalEncoding;

/**
 * The options every Transformer architecture shares: width, depth, heads, the positional encoding
 * and what each block is made of. Architecture config records implement it, so that building the
 * stack is written once.
 */
public interface StackSpec {
  int dModel();

  int layers();

  int heads();

  ComponentSpec positional();

  ComponentSpec attention();

  ComponentSpec norm();

  Placement placement();

  boolean residual();

  ComponentSpec ffn();

  double dropout();

  default Dims dims() {
    return new Dims(dModel(), heads());
  }

  /** What each of the {@link #layers()} blocks is made of. */
  default BlockOptions blocks() {
    return new BlockOptions(attention(), norm(), placement(), residual(), ffn(), dropout());
  }

  /**
   * A context with this stack's dims and its positional encoding (built under {@code positional}),
   * for the embeddings, blocks and heads of the architecture.
   */
  default BuildContext prepare(BuildContext root) {
    BuildContext c = root.withDims(dims());
    PositionalEncoding encoding = c.scope("positional").create(Family.POSITIONAL, positional());
    return c.withPositional(encoding);
  }

  /** Range checks for the compact constructors of implementing records. */
  static void validate(int layers, double dropout) {
    if (layers < 1) {
      throw new IllegalArgumentException("layers must be ≥ 1, got " + layers);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
  }
}
