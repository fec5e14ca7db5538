package io.ablate.plugins.architectures.rnn;

import io.ablate.spi.nn.Parameters;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.MatMul;

/**
 * One step of a gated recurrent unit (Cho et al. 2014) with exactly PyTorch's {@code GRUCell} equations:
 *
 * <pre>
 *   r  = σ(x W_ir + b_ir + h W_hr + b_hr)
 *   z  = σ(x W_iz + b_iz + h W_hz + b_hz)
 *   n  = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * The three gates' weights are fused, in the order r, z, n: {@code weight_ih} (in, 3H), {@code weight_hh}
 * (H, 3H), {@code bias_ih} and {@code bias_hh} (3H), the transposes of PyTorch's {@code weight_ih} /
 * {@code weight_hh}. All are initialised U(−1/√H, 1/√H), as PyTorch does.
 */
public final class GruCell {
  private final int hidden;
  private final Tensor weightIh;
  private final Tensor weightHh;
  private final Tensor biasIh;
  private final Tensor biasHh;

  /** @param params scoped to the cell (names {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}) */
  public GruCell(Parameters params, int input, int hidden) {
    double bound = 1.0 / Math.sqrt(hidden);
    this.hidden = hidden;
    this.weightIh = params.uniform("weight_ih", -bound, bound, input, 3L * hidden);
    this.weightHh = params.uniform("weight_hh", -bound, bound, hidden, 3L * hidden);
    this.biasIh = params.uniform("bias_ih", -bound, bound, 3L * hidden);
    this.biasHh = params.uniform("bias_hh", -bound, bound, 3L * hidden);
  }

  public int hidden() {
    return hidden;
  }

  /**
   * @param x (B, in)
   * @param h (B, H) previous state
   * @return (B, H) next state
   */
  public Tensor step(Tensor x, Tensor h) {
    Tensor gi = MatMul.linear(x, weightIh, biasIh);                             // (B, 3H)
    Tensor gh = MatMul.linear(h, weightHh, biasHh);                             // (B, 3H)
    Tensor r = gate(gi, 0).add(gate(gh, 0)).sigmoid();                          // (B, H)
    Tensor z = gate(gi, 1).add(gate(gh, 1)).sigmoid();                          // (B, H)
    Tensor n = gate(gi, 2).add(r.mul(gate(gh, 2))).tanh();                      // (B, H)
    return n.add(z.mul(h.sub(n)));                                              // (1 − z) ⊙ n + z ⊙ h
  }

  /**
   * A step that only advances where {@code keep} is 1: elsewhere (padding) the previous state is carried
   * through unchanged, so padded inputs never reach the state.
   *
   * @param keep (B, 1) 1 for real tokens, 0 for padding; null when nothing is padded
   */
  public Tensor step(Tensor x, Tensor h, Tensor keep) {
    Tensor next = step(x, h);
    return keep == null ? next : h.add(keep.mul(next.sub(h)));                  // (B, H)
  }

  /** Columns of gate {@code index} (0 = r, 1 = z, 2 = n) of fused (B, 3H) pre-activations. */
  private Tensor gate(Tensor fused, int index) {
    return fused.slice(1, (long) index * hidden, (long) (index + 1) * hidden);
  }
}
