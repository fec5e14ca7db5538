package io.ablate.plugins.transformer.positional;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Shapes;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code shaw-relative} (Shaw et al. 2018): learned key embeddings a_r for clipped relative
 * distances r = clip(j − i, −k, k), shared by all heads, adding q_i·a_{j−i} / √d_h to the logit of
 * query i and key j (eq. 4 of the paper, whose 1/√d_z covers the relative term too; applied here
 * whatever the attention's own scale option).
 *
 * <p>Computed as in the paper's efficient form: the (Tq, Tk, d_h) embeddings are gathered once, and
 * the term is one batched product over query positions, (Tq, B·H, d_h) · (Tq, d_h, Tk). Only the key
 * embeddings a^K are implemented; the value embeddings a^V of eq. 3 have no hook to act through
 * (the paper found them unnecessary for translation quality).
 */
public final class ShawRelative implements PositionalEncoding {
  /** Options of {@code shaw-relative}. */
  public record Config(
      @Doc("clipping distance k: distances beyond ±k share an embedding") @Default("16") int maxDistance,
      @Doc("standard deviation of the N(0, std²) initial embeddings") @Default("0.02") double initStd) {
    public Config {
      if (maxDistance < 1) {
        throw new IllegalArgumentException("max_distance must be ≥ 1, got " + maxDistance);
      }
      if (initStd < 0) {
        throw new IllegalArgumentException("init_std must be ≥ 0, got " + initStd);
      }
    }
  }

  public static final ComponentFactory<Config, PositionalEncoding> FACTORY = Factories.of(Family.POSITIONAL,
      "shaw-relative", "Learned embeddings of clipped relative distances, dotted with the queries (Shaw et al. 2018)",
      Config.class, ShawRelative::new);

  private final Tensor embeddings;       // (2k + 1, Dh)
  private final RelativeTable indices;   // (Tq, Tk) clip(j − i, −k, k) + k
  private final double scale;

  public ShawRelative(Config config, BuildContext context) {
    int k = config.maxDistance();
    int headDim = context.dims().headDim();
    this.embeddings = context.params().normal("key_embeddings", config.initStd(), 2L * k + 1, headDim);
    this.indices = new RelativeTable(r -> Math.max(-k, Math.min(k, r)) + k, DataType.INT64);
    this.scale = 1.0 / Math.sqrt(headDim);
  }

  @Override
  public Set<Hook> hooks() {
    return Set.of(Hook.SCORES);
  }

  /**
   * @param query (B, H, Tq, Dh)
   * @return (B, H, Tq, Tk)
   */
  @Override
  public Tensor scoreBias(Tensor query, int keyLength) {
    long b = query.size(0);
    long h = query.size(1);
    long tq = query.size(2);
    long dh = query.size(3);
    if (dh != embeddings.size(1)) {
      throw new IllegalArgumentException("positional 'shaw-relative' was built for head width " + embeddings.size(1)
          + ", got queries of width " + dh);
    }
    INDArray ids = indices.get((int) tq, keyLength);                            // (Tq, Tk)
    Tensor relative = Shapes.gather(embeddings, ids);                           // (Tq, Tk, Dh)
    Tensor byPosition = query.permute(2, 0, 1, 3).reshape(tq, b * h, dh);      // (Tq, B·H, Dh)
    Tensor term = byPosition.matmul(relative.transpose(1, 2));                  // (Tq, B·H, Tk)
    return term.reshape(tq, b, h, keyLength).permute(1, 2, 0, 3).mul(scale);   // (B, H, Tq, Tk)
  }
}
