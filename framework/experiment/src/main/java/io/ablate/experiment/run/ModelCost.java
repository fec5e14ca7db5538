package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.experiment.spec.ConfigPaths;
import io.ablate.spi.model.Batch;
import io.ablate.spi.task.Task;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training FLOPs per token of a model on its task, counted as in the PaLM paper's appendix B
 * (Chowdhery et al. 2022): 6 N for the weight matmuls (forward 2 N, backward 4 N) plus, for every
 * attention layer, the score (q·kᵀ) and mixing (weights·v) matmuls, 2 · 2 · H · Tq · Tk · Dh per
 * sequence forward, × 3 with the backward pass. Tq and Tk are measured, not assumed: one training
 * batch goes through the model with attention capture on, so causal, cross and encoder attention
 * all count with the lengths the task really produces (padding included, as the engine computes it).
 */
public final class ModelCost {
  /** Rows of the batch measured. */
  private static final int ROWS = 8;
  /** The architectures' default width, for specs that leave {@code model.d_model} unset. */
  private static final int DEFAULT_D_MODEL = 64;

  private ModelCost() {}

  /** 6 N plus attention; 6 N alone when the model records no attention (e.g. a GRU without it). */
  public static double flopsPerToken(BuiltModel model, Task task, Map<String, Object> config, long seed) {
    double weights = 6.0 * model.parameterCount();
    return weights + attentionFlopsPerToken(model, task, config, seed);
  }

  /** Training FLOPs per token of the attention matmuls alone; 0 when nothing was recorded or it failed. */
  static double attentionFlopsPerToken(BuiltModel model, Task task, Map<String, Object> config, long seed) {
    double[] perSequence = {0};
    int dModel = width(config);
    Batch batch;
    model.state().eval();
    model.state().capture((layer, w) -> {                       // w: (B, H, Tq, Tk)
      double heads = w.size(1);
      perSequence[0] += 4.0 * heads * w.size(2) * w.size(3) * (dModel / heads) * w.size(0);
    });
    try (Rng rng = new Rng(seed); GradMode.Scope ignored = GradMode.noGrad()) {
      batch = task.trainBatch(ROWS, rng);
      model.model().logits(batch);
    } catch (RuntimeException | LinkageError e) {
      return 0;
    } finally {
      model.state().capture(null);
      model.state().train();
    }
    return 3 * perSequence[0] / tokens(batch);
  }

  /** The model width a run's config asks for ({@code model.d_model}, or the architectures' default). */
  static int width(Map<String, Object> config) {
    Object width = ConfigPaths.get(config, "model.d_model");
    return width instanceof Number n ? n.intValue() : DEFAULT_D_MODEL;
  }

  /** Tokens of a batch as the trainer counts them: every position, encoder and decoder. */
  static long tokens(Batch batch) {
    if (batch.patches() != null) {
      return batch.patches().size(0) * batch.patches().size(1);
    }
    INDArray decoder = batch.decoderTokens();
    return batch.tokens().length() + (decoder == null ? 0 : decoder.length());
  }
}
