package io.ablate.core.plugin;

import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import io.ablate.core.config.ConfigBinder;
import io.ablate.core.config.Suggestions;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every registered component by family and name; creates components from specs. */
public final class Registry {
  private final Map<Family<?>, Map<String, Component>> byFamily = new LinkedHashMap<>();
  private final List<LoadedPlugin> plugins;

  @Inject
  Registry(Injector injector, PluginsModule.PluginList plugins) {
    for (Family<?> family : Family.ALL) {
      Map<String, Component> map = injector.getInstance(
          Key.get(new TypeLiteral<Map<String, Component>>() {}, Names.named(family.id())));
      byFamily.put(family, new TreeMap<>(map));
    }
    this.plugins = plugins.plugins();
  }

  public List<LoadedPlugin> plugins() {
    return plugins;
  }

  /** The components of a family, sorted by name. */
  public List<Component> list(Family<?> family) {
    return new ArrayList<>(byFamily.get(family).values());
  }

  public List<String> names(Family<?> family) {
    return List.copyOf(byFamily.get(family).keySet());
  }

  /** The component, or a {@link ConfigException}: "unknown attention 'rotray' — did you mean 'rotary'? known: …". */
  public Component get(Family<?> family, String name) {
    Component c = byFamily.get(family).get(name);
    if (c == null) {
      throw new ConfigException(Suggestions.unknown(family.id(), name, byFamily.get(family).keySet()));
    }
    return c;
  }

  /** Binds the spec's options to the component's config record; errors say {@code where}. */
  public Record bindConfig(Family<?> family, ComponentSpec spec, String where) {
    Component c = get(family, spec.type());
    return ConfigBinder.bind(c.factory().configType(), spec.options(),
        where + " (" + family.id() + " '" + spec.type() + "')");
  }

  /** Builds a component: looks it up, binds its config, and calls its factory. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> T create(Family<T> family, ComponentSpec spec, BuildContext context, String where) {
    Component c = get(family, spec.type());
    Record config = bindConfig(family, spec, where);
    Object built;
    try {
      built = ((ComponentFactory) c.factory()).create(config, context);
    } catch (NoClassDefFoundError e) {
      throw new PluginLoadException(c.plugin().label() + ": " + family.id() + " '" + spec.type()
          + "' needs a class it cannot see: " + e.getMessage() + ". A plugin sees only the SPI, the tensor API, "
          + "ND4J and its own jars; put its dependencies next to it in a plugin sub-directory.", e);
    }
    if (built == null) {
      throw new IllegalStateException(c.plugin().label() + ": " + family.id() + " '" + spec.type()
          + "' returned null");
    }
    return family.type().cast(built);
  }

  /** All components of all families, for listings. */
  public Map<Family<?>, List<Component>> all() {
    Map<Family<?>, List<Component>> out = new LinkedHashMap<>();
    for (Family<?> f : Family.ALL) {
      List<Component> list = list(f);
      list.sort(Comparator.comparing(Component::name));
      out.put(f, list);
    }
    return out;
  }
}
