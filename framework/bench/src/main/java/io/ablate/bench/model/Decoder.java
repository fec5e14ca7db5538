package io.ablate.bench.model;

import io.ablate.bench.BenchConfig;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Losses;
import io.ablate.tensor.ops.Shapes;
import io.ablate.tensor.ops.Softmax;
import io.ablate.tensor.optim.ParameterSet;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GPT-style decoder of {@link BenchConfig}: token + learned position embeddings, pre-LN blocks,
 * final LayerNorm, LM head tied to the token embedding.
 */
public final class Decoder {
  private final BenchConfig config;
  private final ParameterSet params = new ParameterSet();
  private final Tensor tokenEmbedding;
  private final Tensor positionEmbedding;
  private final List<DecoderBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;
  /** Additive causal mask for the configured length, (1, 1, T, T); built once. */
  private final INDArray causalBias;

  public Decoder(BenchConfig config, long seed, DataType type) {
    this.config = config;
    try (Rng rng = new Rng(seed)) {
      Init init = new Init(params, rng, type);
      tokenEmbedding = init.normal("embedding.token", 0.02, config.vocab(), config.dModel());
      positionEmbedding = init.normal("embedding.position", 0.02, config.seqLen(), config.dModel());
      for (int i = 0; i < config.layers(); i++) {
        blocks.add(new DecoderBlock(init, "block" + i, config.dModel(), config.heads(), config.ffnHidden()));
      }
      finalNorm = new LayerNorm(init, "norm", config.dModel());
    }
    causalBias = causalBias(config.seqLen(), type);
  }

  public ParameterSet parameters() {
    return params;
  }

  /** ids (B, T) → logits (B, T, V). */
  public Tensor logits(INDArray ids) {
    long t = ids.size(1);
    Tensor positions = Shapes.slice(positionEmbedding, 0, 0, t);                // (T, D)
    Tensor h = Shapes.gather(tokenEmbedding, ids).add(positions);                // (B, T, D)
    INDArray maskBias = t == config.seqLen() ? causalBias : causalBias(t, h.dataType());
    for (DecoderBlock block : blocks) {
      h = block.forward(h, maskBias);
    }
    h = finalNorm.forward(h);
    return h.matmul(tokenEmbedding.transpose(0, 1));                             // (B, T, V)
  }

  /** Mean next-token cross-entropy. */
  public Tensor loss(INDArray inputs, INDArray targets) {
    return Losses.crossEntropy(logits(inputs), targets, Losses.NO_IGNORE);
  }

  /** (1, 1, T, T): 0 where key j ≤ query i, {@link Softmax#MASKED} above the diagonal. */
  static INDArray causalBias(long t, DataType type) {
    INDArray keep = Nd4j.tri((int) t).castTo(type).reshape(1, 1, t, t);   // lower triangle incl. diagonal
    return keep.rsub(1).muli(Softmax.MASKED);
  }
}
