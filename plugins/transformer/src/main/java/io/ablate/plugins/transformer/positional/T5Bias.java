package io.ablate.plugins.transformer.positional;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Shapes;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code t5-bias} (Raffel et al. 2020): relative distances j − i are put into logarithmic buckets
 * (exact for small distances, log-spaced up to {@code max_distance}, beyond that the last bucket), and
 * each (bucket, head) has a learned scalar added to the logits. Bidirectional bucketing gives past
 * and future separate buckets; causal bucketing spends all buckets on the past, as T5's decoder does.
 * One table for all layers, as in T5 (computed in the first layer and reused).
 */
public final class T5Bias implements PositionalEncoding {
  /** Options of {@code t5-bias}. */
  public record Config(
      @Doc("number of buckets (split between past and future when bidirectional)") @Default("32") int numBuckets,
      @Doc("distances from here on share the last bucket") @Default("128") int maxDistance,
      @Doc("bidirectional bucketing (encoders) or causal (decoders); default: causal for language models, "
          + "bidirectional otherwise") @Default(Default.NULL) Boolean bidirectional,
      @Doc("standard deviation of the N(0, std²) initial biases") @Default("0.02") double initStd) {
    public Config {
      if (numBuckets < 2) {
        throw new IllegalArgumentException("num_buckets must be ≥ 2, got " + numBuckets);
      }
      if (maxDistance < 1) {
        throw new IllegalArgumentException("max_distance must be ≥ 1, got " + maxDistance);
      }
      if (initStd < 0) {
        throw new IllegalArgumentException("init_std must be ≥ 0, got " + initStd);
      }
    }
  }

  public static final ComponentFactory<Config, PositionalEncoding> FACTORY = Factories.of(Family.POSITIONAL,
      "t5-bias", "Learned per-head scalar biases for log-bucketed relative distances (Raffel et al. 2020, T5)",
      Config.class, T5Bias::new);

  private final Tensor biases;          // (num_buckets, H)
  private final RelativeTable buckets;  // (Tq, Tk) bucket of j − i

  public T5Bias(Config config, BuildContext context) {
    boolean bidirectional = config.bidirectional() != null ? config.bidirectional()
        : context.io().objective() != Objective.LANGUAGE_MODEL;
    int perDirection = bidirectional ? config.numBuckets() / 2 : config.numBuckets();
    int maxExact = perDirection / 2;
    if (maxExact < 1 || config.maxDistance() <= maxExact) {
      throw new ConfigException("positional 't5-bias' at '" + context.path() + "': with num_buckets="
          + config.numBuckets() + (bidirectional ? " (bidirectional: " + perDirection + " per direction)" : "")
          + " the first " + maxExact + " distances get exact buckets, so num_buckets must be ≥ "
          + (bidirectional ? 4 : 2) + " and max_distance (" + config.maxDistance() + ") must exceed " + maxExact);
    }
    this.biases = context.params().normal("biases", config.initStd(), config.numBuckets(), context.dims().heads());
    this.buckets = new RelativeTable(r -> bucket(r, bidirectional, config.numBuckets(), config.maxDistance()),
        DataType.INT64);
  }

  @Override
  public Set<Hook> hooks() {
    return Set.of(Hook.SCORES);
  }

  /** @return (1, H, Tq, Tk) */
  @Override
  public Tensor scoreBias(Tensor query, int keyLength) {
    long heads = biases.size(1);
    if (query.size(1) != heads) {
      throw new IllegalArgumentException("positional 't5-bias' was built for " + heads + " heads, got "
          + query.size(1));
    }
    int tq = (int) query.size(2);
    Tensor perPair = Shapes.gather(biases, buckets.get(tq, keyLength));         // (Tq, Tk, H)
    return perPair.permute(2, 0, 1).reshape(1, heads, tq, keyLength);           // (1, H, Tq, Tk)
  }

  /**
   * T5's {@code _relative_position_bucket}: the bucket of relative position {@code memory − query}.
   */
  public static int bucket(int relative, boolean bidirectional, int numBuckets, int maxDistance) {
    int bucket = 0;
    int n;
    if (bidirectional) {
      numBuckets /= 2;
      if (relative > 0) {
        bucket += numBuckets;
      }
      n = Math.abs(relative);
    } else {
      n = Math.max(-relative, 0);
    }
    int maxExact = numBuckets / 2;
    if (n < maxExact) {
      return bucket + n;
    }
    int large = maxExact + (int) (Math.log((double) n / maxExact) / Math.log((double) maxDistance / maxExact)
        * (numBuckets - maxExact));
    return bucket + Math.min(large, numBuckets - 1);
  }
}
