package io.ablate.bench;

import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.ModelIO;
import java.util.Map;

/**
 * What the benchmark trains: an architecture spec as a study writes it, built by the same registry and
 * {@code ModelBuilder} as a study run, with the model's inputs and the batch shape.
 *
 * @param flopsPerStep training FLOPs of one step (forward + backward), the numerator of MFU
 */
public record BenchModel(String name, ComponentSpec architecture, ModelIO io, int batch, int seqLen,
    double flopsPerStep) {

  /** The named configuration: decoder + learned positions + mha + pre-LayerNorm + GELU FFN + tied embeddings. */
  public static BenchModel of(BenchConfig c) {
    ComponentSpec decoder = ComponentSpec.of("decoder")
        .with("d_model", c.dModel())
        .with("layers", c.layers())
        .with("heads", c.heads())
        .with("positional", "learned")
        .with("attention", "mha")
        .with("norm", "layernorm")
        .with("placement", "pre")
        .with("ffn", Map.of("type", "gelu", "hidden", c.ffnHidden()))
        .with("tied_embeddings", true);
    return new BenchModel(c.name(), decoder, ModelIO.languageModel(c.vocab(), c.seqLen()), c.batch(), c.seqLen(),
        c.trainingFlopsPerStep());
  }

  /** A study's base model: FLOPs per step estimated as 6 × parameters × tokens (Kaplan et al. 2020). */
  public static BenchModel ofStudy(String name, ComponentSpec architecture, ModelIO io, int batch, long parameters) {
    int seqLen = io.maxLength();
    return new BenchModel(name, architecture, io, batch, seqLen, 6.0 * parameters * batch * seqLen);
  }

  public int tokensPerStep() {
    return batch * seqLen;
  }
}
