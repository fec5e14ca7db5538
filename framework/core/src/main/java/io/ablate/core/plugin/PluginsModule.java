package io.ablate.core.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Names;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Family;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds every component of the loaded plugins into one {@code MapBinder<String, Component>} per family
 * (annotated {@code @Named(family id)}). Plugins are loaded before the injector is built; a name
 * registered twice in a family is refused here with both plugins named (Guice would refuse it too,
 * less readably).
 */
public final class PluginsModule extends AbstractModule {
  private final List<LoadedPlugin> plugins;

  public PluginsModule(List<LoadedPlugin> plugins) {
    this.plugins = List.copyOf(plugins);
    checkNoDuplicates(this.plugins);
  }

  @Override
  protected void configure() {
    Map<Family<?>, MapBinder<String, Component>> binders = new HashMap<>();
    for (Family<?> family : Family.ALL) {
      binders.put(family, MapBinder.newMapBinder(binder(), String.class, Component.class, Names.named(family.id())));
    }
    for (LoadedPlugin plugin : plugins) {
      for (ComponentFactory<?, ?> factory : plugin.plugin().factories()) {
        binders.get(factory.family()).addBinding(factory.name()).toInstance(new Component(factory, plugin));
      }
    }
    bind(PluginList.class).toInstance(new PluginList(plugins));
  }

  private static void checkNoDuplicates(List<LoadedPlugin> plugins) {
    Map<String, LoadedPlugin> owners = new HashMap<>();
    for (LoadedPlugin plugin : plugins) {
      for (ComponentFactory<?, ?> factory : plugin.plugin().factories()) {
        String key = factory.family().id() + "/" + factory.name();
        LoadedPlugin first = owners.putIfAbsent(key, plugin);
        if (first != null) {
          throw new PluginLoadException("duplicate " + factory.family().id() + " '" + factory.name() + "': "
              + plugin.label() + " registers a name that " + first.label()
              + " already has. Rename one of them; names are unique per family.");
        }
      }
    }
  }

  /** The loaded plugins, injectable. */
  public record PluginList(List<LoadedPlugin> plugins) {}
}
