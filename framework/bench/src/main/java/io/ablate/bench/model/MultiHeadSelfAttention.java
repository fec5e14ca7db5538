package io.ablate.bench.model;

import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Softmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Scaled dot-product self-attention with separate W_Q, W_K, W_V and an output projection. */
public final class MultiHeadSelfAttention {
  final Linear query;
  final Linear key;
  final Linear value;
  final Linear output;
  private final int heads;

  public MultiHeadSelfAttention(Init init, String name, int dModel, int heads) {
    if (dModel % heads != 0) {
      throw new IllegalArgumentException("d_model " + dModel + " is not divisible by " + heads + " heads");
    }
    this.query = new Linear(init, name + ".query", dModel, dModel);
    this.key = new Linear(init, name + ".key", dModel, dModel);
    this.value = new Linear(init, name + ".value", dModel, dModel);
    this.output = new Linear(init, name + ".output", dModel, dModel);
    this.heads = heads;
  }

  /**
   * @param x    (B, T, D)
   * @param maskBias (B or 1, 1, T, T): 0 where query i may attend to key j, {@link Softmax#MASKED}
   *     elsewhere (see {@link Softmax#maskBias})
   */
  public Tensor forward(Tensor x, INDArray maskBias) {
    long b = x.size(0);
    long t = x.size(1);
    long d = x.size(2);
    long dh = d / heads;
    Tensor q = splitHeads(query.forward(x), dh);                       // (B, H, T, Dh)
    Tensor k = splitHeads(key.forward(x), dh);                         // (B, H, T, Dh)
    Tensor v = splitHeads(value.forward(x), dh);                       // (B, H, T, Dh)
    Tensor scores = q.matmul(k.transpose(2, 3)).mul(1.0 / Math.sqrt(dh));   // (B, H, T, T)
    Tensor weights = scores.add(Tensor.constant(maskBias)).softmax(-1);   // (B, H, T, T)
    Tensor mixed = weights.matmul(v);                                  // (B, H, T, Dh)
    Tensor merged = mixed.permute(0, 2, 1, 3).reshape(b, t, d);        // (B, T, D)
    return output.forward(merged);
  }

  private Tensor splitHeads(Tensor x, long dh) {
    return x.reshape(x.size(0), x.size(1), heads, dh).permute(0, 2, 1, 3);
  }
}
