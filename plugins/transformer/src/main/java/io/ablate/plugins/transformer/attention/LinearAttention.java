package io.ablate.plugins.transformer.attention;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Masks;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.model.PositionalEncoding.QueryKey;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code linear}: kernelised attention without a softmax (Katharopoulos et al. 2020),
 *
 * <pre>
 *   out_i = φ(q_i)ᵀ Σ_j φ(k_j) v_jᵀ / (φ(q_i)ᵀ Σ_j φ(k_j) + eps)
 * </pre>
 *
 * with j over all keys (bidirectional: the sums are computed once, φ(K)ᵀV, so the cost is linear in
 * the length) or over j ≤ i (causal: prefix sums of the outer products φ(k_j) v_jᵀ, taken here as one
 * product with a lower-triangular matrix, which is fine for the short sequences of ablations).
 * Padded keys are removed by zeroing their φ(k) and v.
 *
 * <p>Positional encodings: INPUT encodings work as everywhere. There are no logits to add a score
 * bias to, so SCORES encodings (shaw-relative, t5-bias, alibi) are refused at build time. QUERY_KEY
 * (rotary) follows RoFormer (Su et al. 2021, eq. 19): the rotation is applied to the features φ(q)
 * and φ(k) in the numerator only; the denominator uses the unrotated features so that it stays
 * positive. Rows of the implied weights then no longer sum to exactly 1.
 *
 * <p>Capture: when the run state captures attention, the implied weights
 * w_ij = φ(q_i)·φ(k_j) / (φ(q_i)ᵀ Σ_j φ(k_j) + eps) (zero where masked) are formed explicitly, which
 * costs the quadratic memory this variant otherwise avoids; nothing is formed when not capturing.
 */
public final class LinearAttention implements Attention {
  /** Options of {@code linear}. */
  public record Config(
      @Doc("feature map φ: elu (elu(x) + 1) or relu") @Default("elu") FeatureMap featureMap,
      @Doc("added to the normaliser φ(q)ᵀΣφ(k), for queries that see no keys") @Default("1.0e-6") double eps,
      @Doc("biases on the four projections") @Default("true") boolean bias,
      @Doc("dropout on the attention output, in training only") @Default("0.0") double dropout) {
    public Config {
      if (eps < 0) {
        throw new IllegalArgumentException("eps must be ≥ 0, got " + eps);
      }
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
    }
  }

  public static final ComponentFactory<Config, Attention> FACTORY = Factories.of(Family.ATTENTION, "linear",
      "Linear attention with a kernel feature map instead of softmax (Katharopoulos et al. 2020)",
      Config.class, LinearAttention::new);

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final FeatureMap featureMap;
  private final double eps;
  private final int heads;
  private final double dropout;
  private final PositionalEncoding positional;
  private final RunState state;
  private final BuildContext context;

  public LinearAttention(Config config, BuildContext context) {
    if (context.positional().hooks().contains(Hook.SCORES)) {
      throw new ConfigException("attention at '" + context.path() + "': linear attention cannot apply score-bias "
          + "positional encodings (this positional encoding uses hooks " + context.positional().hooks()
          + "; shaw-relative, t5-bias and alibi add to attention logits, which linear attention never forms); "
          + "use positional none, learned, sinusoidal or rotary");
    }
    int d = context.dims().dModel();
    this.heads = context.dims().heads();
    this.query = new Linear(context.params(), "query", d, d, config.bias());
    this.key = new Linear(context.params(), "key", d, d, config.bias());
    this.value = new Linear(context.params(), "value", d, d, config.bias());
    this.output = new Linear(context.params(), "output", d, d, config.bias());
    this.featureMap = config.featureMap();
    this.eps = config.eps();
    this.dropout = config.dropout();
    this.positional = context.positional();
    this.state = context.state();
    this.context = context;
  }

  @Override
  public Tensor forward(Tensor x, Tensor memory, AttentionMask mask) {
    int tq = (int) x.size(1);
    int tk = (int) memory.size(1);
    Tensor fq = featureMap.apply(ScaledDotProduct.splitHeads(query.forward(x), heads));     // (B, H, Tq, Dh)
    Tensor fk = featureMap.apply(ScaledDotProduct.splitHeads(key.forward(memory), heads));  // (B, H, Tk, Dh)
    Tensor v = ScaledDotProduct.splitHeads(value.forward(memory), heads);                   // (B, H, Tk, Dv)
    if (mask.keyValid() != null) {
      Tensor valid = Tensor.constant(mask.keyValid().castTo(x.dataType()).reshape(x.size(0), 1, tk, 1));
      fk = fk.mul(valid);                                                        // padded keys: φ(k) = 0
      v = v.mul(valid);                                                          // and v = 0
    }
    Tensor nq = fq;
    Tensor nk = fk;
    if (positional.hooks().contains(Hook.QUERY_KEY)) {
      QueryKey rotated = positional.rotate(fq, fk);                              // RoFormer eq. 19: numerator only
      nq = rotated.query();
      nk = rotated.key();
    }
    INDArray causal = mask.causal()
        ? Masks.causal(tq, tk, x.dataType()).reshape(tq, tk) : null;             // (Tq, Tk) or null
    Tensor numerator;                                                            // (B, H, Tq, Dv)
    Tensor normaliser;                                                           // (B, H, Tq, 1)
    if (causal == null) {
      numerator = nq.matmul(nk.transpose(2, 3).matmul(v));                       // φ(Q)·(φ(K)ᵀV)
      normaliser = fq.mul(fk.sum(true, 2)).sum(true, 3);                         // φ(q_i)·Σ_j φ(k_j)
    } else {
      Tensor prefix = PrefixSums.outerProducts(nk, v, causal);                  // (B, H, Tq, Dh, Dv)
      long b = x.size(0);
      numerator = nq.reshape(b, heads, tq, 1, nq.size(3)).matmul(prefix)        // (B, H, Tq, 1, Dv)
          .reshape(b, heads, tq, v.size(3));
      normaliser = fq.mul(PrefixSums.of(fk, causal)).sum(true, 3);              // φ(q_i)·Σ_{j≤i} φ(k_j)
    }
    if (state.capturing()) {
      capture(nq, nk, normaliser, mask, tq, tk);
    }
    Tensor mixed = numerator.div(normaliser.add(eps));                           // (B, H, Tq, Dv)
    mixed = Dropout.apply(mixed, dropout, context.rng(), state.training());
    return output.forward(ScaledDotProduct.mergeHeads(mixed));                   // (B, Tq, D)
  }

  /** Records the implied weights φ(q_i)·φ(k_j) / normaliser_i, (B, H, Tq, Tk), zero where masked. */
  private void capture(Tensor nq, Tensor nk, Tensor normaliser, AttentionMask mask, int tq, int tk) {
    try (var ignored = GradMode.noGrad()) {
      Tensor similarity = nq.matmul(nk.transpose(2, 3));                        // (B, H, Tq, Tk)
      INDArray keep = ScaledDotProduct.keep(mask, null, tq, tk, similarity.dataType());
      if (keep != null) {
        similarity = similarity.mul(Tensor.constant(keep));
      }
      state.record(context.path(), similarity.div(normaliser.add(eps)).value());
    }
  }
}
