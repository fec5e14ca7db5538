package io.ablate.plugins.architectures.block;

import io.ablate.spi.BuildContext;
import io.ablate.spi.Family;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Normalization;
import io.ablate.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code layers} blocks, and a final normalisation when blocks are pre-norm (their output is unnormalised). */
public final class Stack {
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final Normalization finalNorm;

  /** @param context scoped to the stack (e.g. {@code decoder}), with dims and positional set */
  public Stack(BuildContext context, int layers, BlockOptions options, boolean cross) {
    for (int i = 0; i < layers; i++) {
      blocks.add(new TransformerBlock(context.scope("blocks." + i), options, cross));
    }
    this.finalNorm = options.placement() == Placement.PRE
        ? context.scope("final_norm").create(Family.NORMALIZATION, options.norm()) : null;
  }

  /** (B, T, D) → (B, T, D); see {@link TransformerBlock#forward}. */
  public Tensor forward(Tensor x, INDArray valid, AttentionMask selfMask, Tensor memory, AttentionMask memoryMask) {
    for (TransformerBlock block : blocks) {
      x = block.forward(x, valid, selfMask, memory, memoryMask);
    }
    return finalNorm == null ? x : finalNorm.forward(x, valid);
  }
}
