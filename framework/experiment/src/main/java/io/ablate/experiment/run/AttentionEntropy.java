package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.spi.model.Batch;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.SpecialToken;
import io.ablate.tensor.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Shannon entropy (nats) of every attention head, measured at each evaluation on one fixed probe
 * batch: per head, the mean over real (unpadded) query positions of −Σ_k p(k) ln p(k) over that
 * row's keys. A uniform row over n visible keys gives ln n, a one-hot row 0; masked keys have weight
 * 0 and add nothing (0 ln 0 = 0). Low entropy means sharp attention, ln n means none at all.
 *
 * <p>Metrics, layers numbered {@code L0, L1, …} in the order the forward pass reaches them (the order
 * of {@code attention.json}: blocks in order; encoder–decoder models: encoder blocks, then each
 * decoder block's self- and cross-attention):
 * {@code attn_entropy/L<l>H<h>} per head, {@code attn_entropy/L<l>} the layer's mean over heads, and
 * {@code attn_entropy/mean} the mean over every head of every layer. The probe is read through
 * {@link AttentionCapture}, the path of the attention heat maps; a model whose attention records no
 * weights has no entropy metrics, and a capture that throws is logged once and switched off for the
 * run — it never fails training.
 */
public final class AttentionEntropy {
  /** Prefix of every entropy metric: {@code /L<l>H<h>}, {@code /L<l>} and {@code /mean}. */
  public static final String METRIC = "attn_entropy";
  /**
   * The mean over every head of every layer. Not plain {@code attn_entropy}: MLflow's file store keeps
   * a metric {@code a/b} as the file {@code a/b}, so a metric {@code a} beside it cannot exist.
   */
  public static final String MEAN = METRIC + "/mean";
  /** Rows of the probe batch (fewer when the training batch is smaller). */
  static final int PROBE_ROWS = 8;
  private static final Pattern PER_HEAD = Pattern.compile(Pattern.quote(METRIC) + "/L\\d+H\\d+");
  private static final Logger LOG = LoggerFactory.getLogger(AttentionEntropy.class);

  private final BuiltModel model;
  private final Batch probe;
  private boolean off;

  AttentionEntropy(BuiltModel model, Batch probe) {
    this.model = model;
    this.probe = probe;
  }

  /**
   * A probe of up to {@link #PROBE_ROWS} training-style rows drawn from the run's seed: the same
   * batch at every evaluation of the run, and for every variant trained with the same seed and task.
   */
  static AttentionEntropy probe(BuiltModel model, Task task, long seed, int batchSize) {
    try (Rng rng = new Rng(seed)) {
      return new AttentionEntropy(model, task.trainBatch(Math.min(PROBE_ROWS, batchSize), rng));
    }
  }

  /** Whether {@code metric} is one head's entropy (kept out of run summaries, which take the layer means). */
  public static boolean perHead(String metric) {
    return PER_HEAD.matcher(metric).matches();
  }

  /**
   * The entropy metrics of the model as it is now, per layer: each head, then the layer mean; last
   * the mean over all heads. Empty when no layer records attention weights, or after a failed capture.
   */
  Map<String, Double> measure() {
    if (off) {
      return Map.of();
    }
    List<double[]> layers = new ArrayList<>();
    try {
      AttentionCapture.forward(model, probe, (layer, weights) -> {
        try {
          layers.add(perHead(weights, queryValid(probe, layer, weights.size(2))));
        } finally {
          weights.close();                        // the sink owns this copy: free it now, not at the next GC
        }
      });
    } catch (RuntimeException | LinkageError e) {
      off = true;
      LOG.warn("attention entropy switched off for this run: {}", e.toString());
      return Map.of();
    }
    return metrics(layers);
  }

  /** Per layer, per head entropies → the named metrics (see the class comment). */
  static Map<String, Double> metrics(List<double[]> layers) {
    Map<String, Double> out = new LinkedHashMap<>();
    double sum = 0;
    int heads = 0;
    for (int l = 0; l < layers.size(); l++) {
      double layerSum = 0;
      double[] entropy = layers.get(l);
      for (int h = 0; h < entropy.length; h++) {
        out.put(METRIC + "/L" + l + "H" + h, entropy[h]);
        layerSum += entropy[h];
      }
      out.put(METRIC + "/L" + l, layerSum / entropy.length);
      sum += layerSum;
      heads += entropy.length;
    }
    if (heads > 0) {
      out.put(MEAN, sum / heads);
    }
    return out;
  }

  /**
   * @param weights (B, H, Tq, Tk) attention probabilities, each row summing to 1 over its visible keys
   * @param queryValid (B, Tq) 1 for a real query position and 0 for padding, or null when all are real
   * @return (H) the mean over real query rows of −Σ_k p ln p; NaN when no row is real
   */
  static double[] perHead(INDArray weights, INDArray queryValid) {
    long b = weights.size(0);
    long h = weights.size(1);
    long tq = weights.size(2);
    INDArray p = Transforms.relu(weights.castTo(DataType.DOUBLE), false);      // (B, H, Tq, Tk); ≥ 0
    INDArray logP = Transforms.log(p.add(Double.MIN_NORMAL), false);          // ln 0 → finite, so 0 ln 0 = 0
    INDArray rows = p.muli(logP).sum(3).negi();                              // (B, H, Tq)
    INDArray valid = queryValid == null ? rows.like().assign(1.0)
        : queryValid.castTo(DataType.DOUBLE).reshape(b, 1, tq).broadcast(b, h, tq);   // (B, H, Tq)
    double count = valid.sumNumber().doubleValue() / h;
    double[] perHead = rows.muli(valid).sum(0, 2).toDoubleVector();          // (H)
    for (int i = 0; i < perHead.length; i++) {
      perHead[i] = count == 0 ? Double.NaN : perHead[i] / count;
    }
    return perHead;
  }

  /**
   * Which query rows of a layer are real tokens, (B, Tq), or null when every row is: the batch's
   * mask for the sequence the layer's queries come from (the source, or in an encoder–decoder model
   * the target for decoder layers), else its non-[PAD] ids; null for images or a length the batch
   * does not have.
   */
  static INDArray queryValid(Batch batch, String layer, long tq) {
    if (batch.tokens() == null) {
      return null;                                                            // image patches: all real
    }
    long source = batch.tokens().size(1);
    if (batch.decoderTokens() != null) {
      long target = batch.decoderTokens().size(1);
      boolean encoderLayer = layer.contains("encoder") && !layer.contains("decoder");
      if (tq == target && !(encoderLayer && tq == source)) {
        return valid(batch.decoderTokens(), batch.decoderMask());
      }
    }
    return tq == source ? valid(batch.tokens(), batch.tokenMask()) : null;
  }

  /** (B, T) 1/0: the mask when the batch has one, else ids that are not [PAD] (padded LM batches carry none). */
  private static INDArray valid(INDArray ids, INDArray mask) {
    return mask != null ? mask : ids.neq(SpecialToken.PAD.id()).castTo(DataType.DOUBLE);
  }
}
