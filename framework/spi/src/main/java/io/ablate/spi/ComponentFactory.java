package io.ablate.spi;

/**
 * Creates one named component of one family from a config record.
 *
 * <p>The config record is bound from a YAML node by the framework: keys are the record's component
 * names in snake_case; a key without {@link Default} is required; an unknown key is an error that
 * lists the valid ones. Document keys with {@link Doc}.
 *
 * @param <C> the config record
 * @param <T> what {@link #create} returns: the family's interface
 */
public interface ComponentFactory<C extends Record, T> {
  Family<T> family();

  /** Lower-kebab-case, unique within the family, e.g. {@code shaw-relative}. */
  String name();

  /** One sentence for {@code ablate plugins}. */
  String description();

  Class<C> configType();

  /** Builds the component. Parameters are created through {@code context.params()}. */
  T create(C config, BuildContext context);
}
