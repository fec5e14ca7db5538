package io.ablate.core.plugin;

import io.ablate.core.config.ConfigBinder;
import io.ablate.core.config.ConfigKey;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Family;
import java.util.List;

/** A registered component: its factory and the plugin that contributed it. */
public record Component(ComponentFactory<?, ?> factory, LoadedPlugin plugin) {
  public Family<?> family() {
    return factory.family();
  }

  public String name() {
    return factory.name();
  }

  public String description() {
    return factory.description();
  }

  public List<ConfigKey> configKeys() {
    return ConfigBinder.describe(factory.configType());
  }
}
