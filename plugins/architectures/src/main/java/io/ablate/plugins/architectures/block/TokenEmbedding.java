package io.ablate.plugins.architectures.block;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.EmbeddingInit;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.nn.Embedding;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.MatMul;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Token embedding (initialised by an {@code embedding} component), the positional INPUT hook, and the
 * output projection to the vocabulary, tied to the embedding table or separate. Embeddings are
 * multiplied by √D on input (not on output).
 */
public final class TokenEmbedding {
  private final Embedding table;
  private final PositionalEncoding positional;
  private final Linear untiedOutput;

  /** @param context scoped to the embedding (e.g. {@code embedding}), with dims set */
  public TokenEmbedding(BuildContext context, int vocab, ComponentSpec init, PositionalEncoding positional,
      boolean tied) {
    int d = context.dims().dModel();
    EmbeddingInit initialiser = context.create(Family.EMBEDDING, init);
    INDArray initial = initialiser.initialise(vocab, d, context.params().type(), context.corpus(), context.rng());
    this.table = new Embedding(context.params(), "token", initial);
    this.positional = positional;
    this.untiedOutput = tied ? null : new Linear(context.params(), "output", d, vocab, false);
  }

  /** ids (B, T) → (B, T, D) with absolute positions added when the encoding uses the INPUT hook. */
  public Tensor embed(INDArray ids) {
    // × √D as in Vaswani et al.: with a 1/√D initialisation the inputs have unit variance, the scale
    // of the fixed sinusoids; the same for every positional encoding, so ablations compare like with like.
    Tensor h = table.forward(ids).mul(Math.sqrt(table.table().size(1)));         // (B, T, D)
    return positional.hooks().contains(Hook.INPUT) ? positional.embed(h) : h;
  }

  /** (B, T, D) → (B, T, V). */
  public Tensor logits(Tensor h) {
    return untiedOutput != null ? untiedOutput.forward(h)
        : MatMul.linear(h, table.table().transpose(0, 1), null);
  }
}
