package io.ablate.plugins.architectures.rnn;

import io.ablate.spi.nn.Linear;
import io.ablate.spi.nn.Parameters;
import io.ablate.tensor.Tensor;

/**
 * Additive attention (Bahdanau et al. 2015): {@code e_j = vᵀ tanh(W_s s + W_h h_j)} over the source
 * annotations h_j, softmax over real (unpadded) positions, context {@code c = Σ_j α_j h_j}. The
 * {@code W_h h_j} term does not depend on the decoder state and is computed once per source.
 */
public final class AdditiveAttention {
  private final Linear query;
  private final Linear key;
  private final Linear score;

  /**
   * @param params scoped to the attention ({@code query} = W_s, {@code key} = W_h, {@code score} = v)
   * @param stateWidth width of the decoder state s
   * @param annotationWidth width C of the annotations h_j
   * @param width attention width A
   */
  public AdditiveAttention(Parameters params, int stateWidth, int annotationWidth, int width) {
    this.query = new Linear(params, "query", stateWidth, width, false);
    this.key = new Linear(params, "key", annotationWidth, width, false);
    this.score = new Linear(params, "score", width, 1, false);
  }

  /**
   * One attention read.
   *
   * @param context (B, C) the annotations mixed by the weights
   * @param weights (B, S) softmax weights, zero at padded positions
   */
  public record Read(Tensor context, Tensor weights) {}

  /** (B, S, C) annotations → (B, S, A) keys {@code W_h h_j}, once per source. */
  public Tensor keys(Tensor annotations) {
    return key.forward(annotations);
  }

  /**
   * @param state (B, H) decoder state s
   * @param keys (B, S, A) from {@link #keys}
   * @param annotations (B, S, C)
   * @param maskBias (B, S) constant, 0 at real and {@code Softmax.MASKED} at padded positions, or null
   */
  public Read read(Tensor state, Tensor keys, Tensor annotations, Tensor maskBias) {
    long b = keys.size(0);
    long s = keys.size(1);
    Tensor q = query.forward(state).reshape(b, 1, keys.size(2));                  // (B, 1, A)
    Tensor energies = score.forward(keys.add(q).tanh()).reshape(b, s);            // (B, S)
    if (maskBias != null) {
      energies = energies.add(maskBias);
    }
    Tensor weights = energies.softmax(-1);                                       // (B, S)
    Tensor context = weights.reshape(b, 1, s).matmul(annotations)                // (B, 1, C)
        .reshape(b, annotations.size(2));                                        // (B, C)
    return new Read(context, weights);
  }
}
