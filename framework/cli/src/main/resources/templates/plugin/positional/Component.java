package {{package}};

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The {@code {{name}}} positional encoding: a linear distance penalty on the attention logits, head h
 * of H getting slope m_h = slope · 2^(−8(h+1)/H), so that −m_h·|i − j| is added to the logit of query i
 * and key j (as ALiBi, Press et al. 2022). It is a working starting point: change it to try your idea
 * and keep the contract test passing.
 *
 * <p>An encoding acts through up to three hooks, declared in {@link #hooks()}; the others stay the
 * identity:
 * <ul>
 *   <li>INPUT — {@code embed(x)}: (B, T, D) → (B, T, D), added to the token embeddings (sinusoidal, learned);
 *   <li>QUERY_KEY — {@code rotate(q, k)}: q (B, H, Tq, Dh) and k (B, H, Tk, Dh) before their product (rotary);
 *   <li>SCORES — {@code scoreBias(q, Tk)}: a term broadcastable to (B, H, Tq, Tk) added to q·kᵀ·scale
 *       (Shaw, T5 buckets, ALiBi) — this one.
 * </ul>
 * Every attention variant calls the hooks, so the encoding combines with all of them. Parameters, if
 * an encoding has any, are created through {@code context.params()} in the constructor.
 */
public final class {{Class}} implements PositionalEncoding {
  /** Options of {@code {{name}}}: keys in snake_case in a study, checked when the study is loaded. */
  public record Config(
      @Doc("multiplies every head's slope; head h of H has slope · 2^(−8(h+1)/H)") @Default("1.0") double slope) {
    public Config {
      if (!(slope >= 0)) {
        throw new IllegalArgumentException("slope must be ≥ 0, got " + slope);
      }
    }
  }

  public static final ComponentFactory<Config, PositionalEncoding> FACTORY = Factories.of(Family.POSITIONAL,
      "{{name}}", "A per-head linear distance penalty on the attention logits (template: describe your encoding here)",
      Config.class, {{Class}}::new);

  private final INDArray slopes;   // (1, H, 1, 1)
  private INDArray cached;         // the last bias, (1, H, Tq, Tk): lengths rarely change between calls

  public {{Class}}(Config config, BuildContext context) {
    int heads = context.dims().heads();
    double[] m = new double[heads];
    for (int h = 0; h < heads; h++) {
      m[h] = config.slope() * Math.pow(2, -8.0 * (h + 1) / heads);
    }
    this.slopes = Nd4j.create(m, new long[] {1, heads, 1, 1}, DataType.DOUBLE);
  }

  @Override
  public Set<Hook> hooks() {
    return Set.of(Hook.SCORES);
  }

  /**
   * @param query (B, H, Tq, Dh); only its length and type are used here
   * @return (1, H, Tq, Tk): −m_h·|i + (Tk − Tq) − j|, the last query aligned with the last key as in causal masks
   */
  @Override
  public Tensor scoreBias(Tensor query, int keyLength) {
    return Tensor.constant(bias((int) query.size(2), keyLength, query.dataType()));
  }

  private synchronized INDArray bias(int tq, int tk, DataType type) {
    if (cached == null || cached.size(2) != tq || cached.size(3) != tk || cached.dataType() != type) {
      INDArray queries = Nd4j.arange(0, tq).castTo(DataType.DOUBLE).addi(tk - tq).reshape(1, 1, tq, 1);
      INDArray keys = Nd4j.arange(0, tk).castTo(DataType.DOUBLE).reshape(1, 1, 1, tk);
      INDArray distance = Transforms.abs(queries.sub(keys), false);                   // (1, 1, Tq, Tk)
      cached = distance.mul(slopes).negi().castTo(type);                             // (1, H, Tq, Tk)
    }
    return cached;
  }
}
