package io.ablate.core.plugin;

import io.ablate.spi.ConfigException;

/** A plugin that cannot be loaded; raised before anything runs, naming the jar. */
public final class PluginLoadException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public PluginLoadException(String message) {
    super(message);
  }

  public PluginLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
