package io.ablate.spi;

import io.ablate.spi.model.Model;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.EmbeddingInit;
import io.ablate.spi.model.FeedForward;
import io.ablate.spi.model.Normalization;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.Tokenizer;
import java.util.List;

/**
 * A family of interchangeable components. Each constant carries the type its factories create, so
 * that {@link BuildContext#create(Family, ComponentSpec)} is typed.
 */
public final class Family<T> {
  public static final Family<Tokenizer> TOKENIZER = new Family<>("tokenizer", Tokenizer.class);
  public static final Family<EmbeddingInit> EMBEDDING = new Family<>("embedding", EmbeddingInit.class);
  public static final Family<PositionalEncoding> POSITIONAL =
      new Family<>("positional", PositionalEncoding.class);
  public static final Family<Attention> ATTENTION = new Family<>("attention", Attention.class);
  public static final Family<Normalization> NORMALIZATION =
      new Family<>("normalization", Normalization.class);
  public static final Family<FeedForward> FEEDFORWARD = new Family<>("feedforward", FeedForward.class);
  public static final Family<Model> ARCHITECTURE =
      new Family<>("architecture", Model.class);
  public static final Family<Task> TASK = new Family<>("task", Task.class);

  /** Every family, in the order listings show them. */
  public static final List<Family<?>> ALL =
      List.of(TOKENIZER, EMBEDDING, POSITIONAL, ATTENTION, NORMALIZATION, FEEDFORWARD, ARCHITECTURE, TASK);

  private final String id;
  private final Class<T> type;

  private Family(String id, Class<T> type) {
    this.id = id;
    this.type = type;
  }

  /** The key used in YAML, in listings and in messages, e.g. {@code attention}. */
  public String id() {
    return id;
  }

  public Class<T> type() {
    return type;
  }

  /** The family with this id, or null. */
  public static Family<?> byId(String id) {
    for (Family<?> f : ALL) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return id;
  }
}
