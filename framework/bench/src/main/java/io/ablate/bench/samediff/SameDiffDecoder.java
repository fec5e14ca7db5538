package io.ablate.bench.samediff;

import io.ablate.bench.BenchConfig;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The benchmark's GPT-style decoder (see {@link BenchConfig}) as a SameDiff graph, trained with
 * SameDiff's own training loop.
 *
 * <p>Model: token embedding (V, D) plus learned positions (T, D); per layer, pre-LN
 * {@code h = h + attn(ln1(h)); h = h + ffn(ln2(h))} with causal multi-head attention (separate
 * W_Q, W_K, W_V, W_O with biases) and an exact-erf GELU FFN; a final LayerNorm; logits tied to the
 * token embedding ({@code h · tok_embᵀ}); loss = mean next-token softmax cross-entropy.
 *
 * <p>Initialisation, from one seed: every weight matrix (embeddings included) N(0, 0.02), biases
 * 0, LayerNorm gains 1.
 *
 * <p>Training API: {@link SameDiff#fit(DataSet, org.nd4j.autodiff.listeners.Listener...)} with a
 * {@link TrainingConfig} holding Adam(lr 1e-3, β 0.9/0.999, ε 1e-8) plus decoupled weight decay
 * ({@code TrainingConfig.weightDecay(wd, true)}: ND4J's WeightDecay adds {@code lr·wd·w} to the
 * Adam update, i.e. AdamW; it decays every parameter). One {@code fit} call
 * on a one-batch DataSet is exactly one forward + backward + update. That forward pass stops at
 * the logits: SameDiff's training session runs only what the gradient needs, and the gradient op
 * of the softmax cross-entropy takes logits and labels, so the loss value itself is never computed
 * during {@code fit} (listeners see 0 for it). {@link #loss} is a separate forward pass.
 *
 * <p>Workarounds for ND4J 1.0.0-M2.1, each checked against finite differences:
 *
 * <ul>
 *   <li>The gradient of {@code gather} is wrong when an index repeats (and fails for some index
 *       shapes), so the embedding lookup is {@code oneHot(ids) · tok_emb} instead.
 *   <li>The built-in {@code nn().layerNorm} has no epsilon, so LayerNorm is built from primitives
 *       with ε = 1e-5.
 *   <li>{@code nn().gelu} is the sigmoid approximation x·σ(1.702x) and {@code nn().preciseGelu}
 *       is another approximation (0.846 and 0.831 at x = 1, exact 0.841), so GELU is built from
 *       {@code math().erf}.
 *   <li>The gradient of {@code loss().softmaxCrossEntropy} ignores the incoming gradient; it is
 *       right only when that loss is itself the (unscaled) loss variable, as it is here.
 * </ul>
 */
public final class SameDiffDecoder {

  /** Placeholder of input token ids, INT32 (B, T). */
  public static final String INPUT_IDS = "inputIds";
  /** Placeholder of next-token targets, INT32 (B, T). */
  public static final String TARGETS = "targets";
  /** Name of the scalar loss variable. */
  public static final String LOSS = "loss";

  public static final double LEARNING_RATE = 1e-3;
  /** AdamW decoupled weight decay coefficient (PyTorch's AdamW default). */
  public static final double WEIGHT_DECAY = 0.01;

  private static final double INIT_STD = 0.02;
  private static final double LAYER_NORM_EPS = 1e-5;
  /** Added to attention scores above the diagonal; exp of it underflows to exactly 0 in float32. */
  private static final double MASK_NEGATIVE = -1e9;

  private final BenchConfig cfg;
  private final DataType dtype;
  private final SameDiff sd = SameDiff.create();
  private final Random rng;

  /** The float32 model, its parameters drawn from {@code seed}. */
  public SameDiffDecoder(BenchConfig cfg, long seed) {
    this(cfg, seed, DataType.FLOAT);
  }

  /** As above in another floating type; float64 is for gradient checks. */
  SameDiffDecoder(BenchConfig cfg, long seed, DataType dtype) {
    this.cfg = cfg;
    this.dtype = dtype;
    this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    buildGraph();
    sd.setLossVariables(LOSS);
    sd.setTrainingConfig(
        TrainingConfig.builder()
            .updater(new Adam(LEARNING_RATE))
            .weightDecay(WEIGHT_DECAY, true)
            .dataSetFeatureMapping(INPUT_IDS)
            .dataSetLabelMapping(TARGETS)
            .build());
  }

  /**
   * One training step: forward, backward and AdamW update on the batch.
   *
   * @param inputIds INT32 (B, T)
   * @param targets INT32 (B, T)
   */
  public void trainStep(INDArray inputIds, INDArray targets) {
    sd.fit(new DataSet(inputIds, targets));
  }

  /** The mean cross-entropy on a batch, by a forward pass only (no update). */
  public double loss(INDArray inputIds, INDArray targets) {
    return sd.output(placeholders(inputIds, targets), LOSS).get(LOSS).getDouble(0);
  }

  /** d loss / d parameter for every trainable parameter, by SameDiff's backward pass. */
  public Map<String, INDArray> gradients(INDArray inputIds, INDArray targets) {
    return sd.calculateGradients(placeholders(inputIds, targets), parameterNames());
  }

  /** The live value of a trainable parameter (writes to it change the model). */
  public INDArray parameter(String name) {
    return sd.getVariable(name).getArr();
  }

  /** Names of the trainable parameters, in creation order. */
  public List<String> parameterNames() {
    return sd.variables().stream()
        .filter(v -> v.getVariableType() == VariableType.VARIABLE)
        .map(SDVariable::name)
        .toList();
  }

  private static Map<String, INDArray> placeholders(INDArray inputIds, INDArray targets) {
    return Map.of(INPUT_IDS, inputIds, TARGETS, targets);
  }

  // ---------------------------------------------------------------------------------------------
  // Graph construction

  private void buildGraph() {
    int b = cfg.batch();
    int t = cfg.seqLen();
    int d = cfg.dModel();
    long n = (long) b * t;

    SDVariable ids = sd.placeHolder(INPUT_IDS, DataType.INT32, b, t);
    SDVariable targets = sd.placeHolder(TARGETS, DataType.INT32, b, t);

    SDVariable tokEmb = normalVar("tok_emb", cfg.vocab(), d); // (V, D)
    SDVariable posEmb = normalVar("pos_emb", t, d); // (T, D)
    SDVariable causalMask = sd.constant("causal_mask", causalMask(t)); // (T, T)

    SDVariable idsOneHot = sd.oneHot(ids.reshape(n), cfg.vocab(), -1, 1.0, 0.0, dtype); // (N, V)
    SDVariable tokens = idsOneHot.mmul(tokEmb).reshape(b, t, d); // (B, T, D)
    SDVariable h = tokens.add(posEmb).reshape(n, d); // (N, D), N = B·T

    for (int layer = 0; layer < cfg.layers(); layer++) {
      String p = "layer" + layer + ".";
      h = h.add(attention(p, layerNorm(p + "ln1", h), causalMask)); // (N, D)
      h = h.add(feedForward(p, layerNorm(p + "ln2", h))); // (N, D)
    }
    h = layerNorm("ln_f", h); // (N, D)

    SDVariable logits = sd.mmul(h, tokEmb, false, true, false); // (N, V), tied head
    SDVariable labels = sd.oneHot(targets.reshape(n), cfg.vocab(), -1, 1.0, 0.0, dtype); // (N, V)
    // With no weights, MEAN_BY_NONZERO_WEIGHT_COUNT is the mean over the N positions.
    sd.loss()
        .softmaxCrossEntropy(
            LOSS, labels, logits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
  }

  /** Causal multi-head self-attention with output projection; x is (N, D). */
  private SDVariable attention(String p, SDVariable x, SDVariable causalMask) {
    int b = cfg.batch();
    int t = cfg.seqLen();
    int d = cfg.dModel();
    int heads = cfg.heads();
    int dh = cfg.headDim();

    SDVariable q = splitHeads(linear(p + "attn.q", x, d, d)); // (B, H, T, Dh)
    SDVariable k = splitHeads(linear(p + "attn.k", x, d, d)); // (B, H, T, Dh)
    SDVariable v = splitHeads(linear(p + "attn.v", x, d, d)); // (B, H, T, Dh)

    SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(dh)); // (B, H, T, T)
    SDVariable weights = sd.nn().softmax(scores.add(causalMask), 3); // (B, H, T, T)
    SDVariable mixed = sd.mmul(weights, v); // (B, H, T, Dh)

    SDVariable merged = mixed.permute(0, 2, 1, 3).reshape((long) b * t, (long) heads * dh); // (N, D)
    return linear(p + "attn.o", merged, d, d); // (N, D)
  }

  /** (N, D) → (B, H, T, Dh). */
  private SDVariable splitHeads(SDVariable x) {
    return x.reshape(cfg.batch(), cfg.seqLen(), cfg.heads(), cfg.headDim()) // (B, T, H, Dh)
        .permute(0, 2, 1, 3); // (B, H, T, Dh)
  }

  /** Position-wise FFN D → F → D with exact-erf GELU; x is (N, D). */
  private SDVariable feedForward(String p, SDVariable x) {
    SDVariable hidden = gelu(linear(p + "ffn.in", x, cfg.dModel(), cfg.ffnHidden())); // (N, F)
    return linear(p + "ffn.out", hidden, cfg.ffnHidden(), cfg.dModel()); // (N, D)
  }

  /** GELU(x) = x · Φ(x) = 0.5 · x · (1 + erf(x / √2)). */
  private SDVariable gelu(SDVariable x) {
    SDVariable cdf = sd.math().erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0).mul(0.5);
    return x.mul(cdf);
  }

  /** x · W + b, with W (in, out) ~ N(0, 0.02) and b (out) = 0; x is (N, in). */
  private SDVariable linear(String name, SDVariable x, int in, int out) {
    SDVariable w = normalVar(name + ".weight", in, out); // (in, out)
    SDVariable bias = sd.var(name + ".bias", Nd4j.zeros(dtype, out)); // (out)
    return x.mmul(w).add(bias); // (N, out)
  }

  /** LayerNorm over the last axis with ε = 1e-5, gain 1 and bias 0 at init; x is (N, D). */
  private SDVariable layerNorm(String name, SDVariable x) {
    int d = cfg.dModel();
    SDVariable gain = sd.var(name + ".gain", Nd4j.ones(dtype, d)); // (D)
    SDVariable bias = sd.var(name + ".bias", Nd4j.zeros(dtype, d)); // (D)

    SDVariable centered = x.sub(x.mean(true, 1)); // (N, D)
    SDVariable variance = centered.mul(centered).mean(true, 1); // (N, 1), biased
    SDVariable normalized = centered.div(sd.math().sqrt(variance.add(LAYER_NORM_EPS))); // (N, D)
    return normalized.mul(gain).add(bias); // (N, D)
  }

  private SDVariable normalVar(String name, long... shape) {
    INDArray init = Nd4j.randn(0.0, INIT_STD, shape, rng).castTo(dtype);
    return sd.var(name, init);
  }

  /** (T, T): 0 on and below the diagonal, a large negative constant above it. */
  private INDArray causalMask(int t) {
    double[][] mask = new double[t][t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        mask[i][j] = MASK_NEGATIVE;
      }
    }
    return Nd4j.create(mask).castTo(dtype);
  }
}
