package io.ablate.plugins.transformer.positional;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Tensor;
import java.util.Set;

/**
 * {@code learned}: a trainable vector per absolute position added to the token embeddings (BERT,
 * GPT-2). Defined only up to {@code max_length}: a longer sequence is an error, which is exactly what
 * length-generalisation studies compare against.
 */
public final class LearnedPositional implements PositionalEncoding {
  /** Options of {@code learned}. */
  public record Config(
      @Doc("rows of the table: the longest sequence accepted (default: the task's max length)")
      @Default(Default.NULL) Integer maxLength,
      @Doc("standard deviation of the N(0, std²) initial values") @Default("0.02") double initStd) {
    public Config {
      if (maxLength != null && maxLength < 1) {
        throw new IllegalArgumentException("max_length must be ≥ 1, got " + maxLength);
      }
      if (initStd < 0) {
        throw new IllegalArgumentException("init_std must be ≥ 0, got " + initStd);
      }
    }
  }

  public static final ComponentFactory<Config, PositionalEncoding> FACTORY = Factories.of(Family.POSITIONAL,
      "learned", "Trainable absolute position vectors added to the embeddings, up to max_length (BERT, GPT-2)",
      Config.class, LearnedPositional::new);

  private final Tensor table;   // (L, D)
  private final String path;

  public LearnedPositional(Config config, BuildContext context) {
    int length = config.maxLength() != null ? config.maxLength() : context.io().maxLength();
    if (length < 1) {
      throw new ConfigException("positional 'learned' at '" + context.path() + "': no max_length given and the "
          + "task's max length is " + length + "; set max_length");
    }
    this.table = context.params().normal("table", config.initStd(), length, context.dims().dModel());
    this.path = context.path();
  }

  @Override
  public Set<Hook> hooks() {
    return Set.of(Hook.INPUT);
  }

  @Override
  public Tensor embed(Tensor x) {
    long t = x.size(1);
    long rows = table.size(0);
    if (t > rows) {
      throw new IllegalArgumentException("positional 'learned' at '" + path + "' holds " + rows
          + " positions (max_length) but got a sequence of length " + t + "; raise max_length or use an "
          + "encoding defined for any length (sinusoidal, rotary, alibi, t5-bias, shaw-relative)");
    }
    if (x.size(2) != table.size(1)) {
      throw new IllegalArgumentException("positional 'learned' at '" + path + "' has width " + table.size(1)
          + " but the embeddings have width " + x.size(2));
    }
    return x.add(table.slice(0, 0, t));                                       // (B, T, D) + (T, D)
  }
}
