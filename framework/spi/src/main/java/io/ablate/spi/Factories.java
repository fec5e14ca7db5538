package io.ablate.spi;

import java.util.function.BiFunction;

/** Builds a {@link ComponentFactory} from its parts, for plugins that need no factory class. */
public final class Factories {
  private Factories() {}

  /**
   * {@code Factories.of(Family.ATTENTION, "mha", "Multi-head …", MultiHeadAttention.Config.class,
   * MultiHeadAttention::new)}.
   */
  public static <C extends Record, T> ComponentFactory<C, T> of(Family<T> family, String name, String description,
      Class<C> configType, BiFunction<C, BuildContext, ? extends T> create) {
    return new ComponentFactory<>() {
      @Override
      public Family<T> family() {
        return family;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public Class<C> configType() {
        return configType;
      }

      @Override
      public T create(C config, BuildContext context) {
        return create.apply(config, context);
      }

      @Override
      public String toString() {
        return family.id() + " '" + name + "'";
      }
    };
  }
}
