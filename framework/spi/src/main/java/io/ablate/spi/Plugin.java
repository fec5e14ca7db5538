package io.ablate.spi;

import java.util.List;

/**
 * The entry point of a plugin jar, found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.ablate.spi.Plugin}. Built-in components are plugins too.
 *
 * <pre>{@code
 * public final class MyPlugin implements Plugin {
 *   public String name() { return "my-attention"; }
 *   public String spiVersion() { return Spi.VERSION; }   // inlined when compiled: do not compute it
 *   public List<ComponentFactory<?, ?>> factories() { return List.of(new MyAttentionFactory()); }
 * }
 * }</pre>
 */
public interface Plugin {
  /** A short lower-kebab-case name, shown in listings and in error messages. */
  String name();

  /** Return {@link Spi#VERSION} written literally so that it is the version compiled against. */
  String spiVersion();

  /** The components this plugin contributes, any family. */
  List<ComponentFactory<?, ?>> factories();
}
