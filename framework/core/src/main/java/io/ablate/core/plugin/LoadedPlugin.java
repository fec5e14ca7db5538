package io.ablate.core.plugin;

import io.ablate.spi.Plugin;

/**
 * A plugin and where it came from.
 *
 * @param source {@code classpath} for built-ins, else the jar or directory it was loaded from
 * @param version the plugin's Implementation-Version from its manifest, or {@code dev}
 */
public record LoadedPlugin(Plugin plugin, String source, String version) {
  public String name() {
    return plugin.name();
  }

  /** {@code name (source)} for messages. */
  public String label() {
    return "plugin '" + plugin.name() + "' (" + source + ")";
  }
}
