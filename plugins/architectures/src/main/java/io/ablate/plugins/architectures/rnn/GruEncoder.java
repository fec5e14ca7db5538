package io.ablate.plugins.architectures.rnn;

import io.ablate.spi.BuildContext;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Shapes;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A GRU over the source, left to right and optionally also right to left (Bahdanau et al. 2015: each
 * position is annotated with both directions' states). Padded positions — anywhere, not only at the
 * end — are skipped: each direction carries its previous state through them, so the backward direction
 * of a right-padded sequence starts from zeros at the last real token.
 */
public final class GruEncoder {
  private final GruCell forward;
  private final GruCell backward;

  /**
   * The annotations and a summary of the whole source.
   *
   * @param states (B, S, C) per-position states, C = H or 2H; values at padded positions are not to be read
   * @param summary (B, C) the forward state after the last real token and the backward state after the first
   */
  public record Result(Tensor states, Tensor summary) {}

  /** @param context scoped to the encoder (cells {@code forward.*} and {@code backward.*}) */
  public GruEncoder(BuildContext context, int input, int hidden, boolean bidirectional) {
    this.forward = new GruCell(context.scope("forward").params(), input, hidden);
    this.backward = bidirectional ? new GruCell(context.scope("backward").params(), input, hidden) : null;
  }

  /** Width C of each annotation. */
  public int width() {
    return forward.hidden() * (backward == null ? 1 : 2);
  }

  /**
   * @param inputs S tensors (B, E), one per source position
   * @param mask (B, S) 1 for real tokens, or null
   */
  public Result encode(List<Tensor> inputs, INDArray mask) {
    int s = inputs.size();
    Tensor[] keep = new Tensor[s];
    for (int t = 0; t < s; t++) {
      keep[t] = mask == null ? null : keepColumn(mask, t, inputs.get(t));
    }
    Tensor[] fwd = run(forward, inputs, keep, false);
    if (backward == null) {
      return new Result(stack(fwd), fwd[s - 1]);
    }
    Tensor[] bwd = run(backward, inputs, keep, true);
    Tensor[] both = new Tensor[s];
    for (int t = 0; t < s; t++) {
      both[t] = Shapes.concat(1, fwd[t], bwd[t]);                               // (B, 2H)
    }
    return new Result(stack(both), Shapes.concat(1, fwd[s - 1], bwd[0]));
  }

  /** States after each position, in position order, of one direction. */
  private static Tensor[] run(GruCell cell, List<Tensor> inputs, Tensor[] keep, boolean reverse) {
    int s = inputs.size();
    Tensor[] states = new Tensor[s];
    Tensor h = zeros(inputs.get(0), cell.hidden());                              // (B, H)
    for (int i = 0; i < s; i++) {
      int t = reverse ? s - 1 - i : i;
      h = cell.step(inputs.get(t), h, keep[t]);
      states[t] = h;
    }
    return states;
  }

  /** S tensors (B, C) → (B, S, C). */
  static Tensor stack(Tensor[] steps) {
    Tensor[] expanded = new Tensor[steps.length];
    for (int t = 0; t < steps.length; t++) {
      expanded[t] = steps[t].reshape(steps[t].size(0), 1, steps[t].size(1));    // (B, 1, C)
    }
    return expanded.length == 1 ? expanded[0] : Shapes.concat(1, expanded);
  }

  private static Tensor keepColumn(INDArray mask, int t, Tensor like) {
    INDArray column = mask.get(NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1));   // (B, 1)
    return Tensor.constant(column.castTo(like.dataType()).neq(0).castTo(like.dataType()));
  }

  private static Tensor zeros(Tensor like, int hidden) {
    return Tensor.constant(org.nd4j.linalg.factory.Nd4j.zeros(like.dataType(), like.size(0), hidden));
  }
}
