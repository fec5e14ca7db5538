package io.ablate.core.plugin;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Plugin;
import io.ablate.spi.Spi;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds plugins: built-ins on the application class path, and external ones in plugin directories.
 * In a plugin directory, each {@code *.jar} is one plugin, and each sub-directory holding jars is one
 * plugin whose jars (the plugin and its own dependencies) share a class loader; sub-directories
 * without jars are ignored.
 *
 * <p>Every problem is a {@link PluginLoadException} naming the jar, raised while loading, so that a
 * bad plugin never leaves a half-started run.
 */
public final class PluginLoader {
  private PluginLoader() {}

  /** Built-ins from the class path, then every plugin in the given directories (missing ones skipped). */
  public static List<LoadedPlugin> load(ClassLoader application, List<Path> pluginDirs) {
    List<LoadedPlugin> plugins = new ArrayList<>(classpath(application));
    for (Path dir : pluginDirs) {
      plugins.addAll(directory(application, dir));
    }
    return plugins;
  }

  static List<LoadedPlugin> classpath(ClassLoader application) {
    List<LoadedPlugin> found = new ArrayList<>();
    for (Plugin plugin : instantiate(ServiceLoader.load(Plugin.class, application), "the class path", null)) {
      found.add(checked(plugin, "classpath"));
    }
    return found;
  }

  static List<LoadedPlugin> directory(ClassLoader application, Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<LoadedPlugin> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.sorted().toList()) {
        if (Files.isDirectory(entry)) {
          List<Path> jars = jarsIn(entry);
          if (!jars.isEmpty()) {   // directories without jars (sources, notes) are not plugins
            found.addAll(external(application, entry, jars));
          }
        } else if (entry.toString().endsWith(".jar")) {
          found.addAll(external(application, entry, List.of(entry)));
        }
      }
    } catch (IOException e) {
      throw new PluginLoadException("cannot read plugin directory " + dir + ": " + e.getMessage(), e);
    }
    return found;
  }

  private static List<Path> jarsIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
  }

  private static List<LoadedPlugin> external(ClassLoader application, Path source, List<Path> jars) {
    URL[] urls = jars.stream().map(PluginLoader::url).toArray(URL[]::new);
    PluginClassLoader loader = new PluginClassLoader(source.getFileName().toString(), urls, application);
    List<LoadedPlugin> found = new ArrayList<>();
    for (Plugin plugin : instantiate(ServiceLoader.load(Plugin.class, loader), source.toString(), loader)) {
      found.add(checked(plugin, source.toString()));
    }
    if (found.isEmpty()) {
      throw new PluginLoadException(source + " contains no Ablate plugin: expected a class implementing "
          + Plugin.class.getName() + " listed in META-INF/services/" + Plugin.class.getName());
    }
    return found;
  }

  private static List<Plugin> instantiate(ServiceLoader<Plugin> services, String source, ClassLoader own) {
    List<Plugin> plugins = new ArrayList<>();
    try {
      for (ServiceLoader.Provider<Plugin> provider : services.stream().toList()) {
        if (own != null && provider.type().getClassLoader() != own) {
          continue;
        }
        plugins.add(provider.get());
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof UnsupportedClassVersionError || e instanceof UnsupportedClassVersionError) {
        throw new PluginLoadException(source + ": plugin was compiled for a newer Java than this one ("
            + System.getProperty("java.version") + ")", e);
      }
      if (cause instanceof NoClassDefFoundError || e instanceof NoClassDefFoundError) {
        throw new PluginLoadException(source + ": plugin needs a class it cannot see: " + cause.getMessage()
            + ". A plugin sees only the SPI (" + String.join(" ", PluginClassLoader.SHARED_PACKAGES.subList(5,
            PluginClassLoader.SHARED_PACKAGES.size())) + ") and its own jars; bundle other dependencies with it.", e);
      }
      throw new PluginLoadException(source + ": cannot load plugin: " + cause, e);
    }
    return plugins;
  }

  private static LoadedPlugin checked(Plugin plugin, String source) {
    String built;
    try {
      built = plugin.spiVersion();
    } catch (RuntimeException | AbstractMethodError e) {
      throw new PluginLoadException(source + ": plugin " + plugin.getClass().getName()
          + " does not report its SPI version: " + e, e);
    }
    if (built == null || !Spi.isCompatible(built)) {
      throw new PluginLoadException(source + ": plugin '" + safeName(plugin) + "' was built for SPI " + built
          + ", but this Ablate provides SPI " + Spi.VERSION + " (plugins built for " + Spi.VERSION.split("\\.")[0]
          + ".x up to " + Spi.VERSION + " load). Rebuild the plugin against ablate-spi " + Spi.VERSION + ".");
    }
    List<ComponentFactory<?, ?>> factories;
    try {
      factories = plugin.factories();
    } catch (RuntimeException | LinkageError e) {
      throw new PluginLoadException(source + ": plugin '" + safeName(plugin) + "' failed while listing its "
          + "components: " + e, e);
    }
    if (factories == null || factories.isEmpty()) {
      throw new PluginLoadException(source + ": plugin '" + safeName(plugin) + "' lists no components");
    }
    for (ComponentFactory<?, ?> f : factories) {
      try {
        if (f.family() == null || f.name() == null || f.configType() == null) {
          throw new IllegalStateException("family, name and configType must not be null");
        }
        if (!f.name().matches("[a-z0-9]+(-[a-z0-9]+)*")) {
          throw new IllegalStateException("component name '" + f.name() + "' is not lower-kebab-case");
        }
      } catch (RuntimeException e) {
        throw new PluginLoadException(source + ": plugin '" + safeName(plugin) + "' has a bad component "
            + f.getClass().getName() + ": " + e.getMessage(), e);
      }
    }
    String version = plugin.getClass().getPackage() == null ? null
        : plugin.getClass().getPackage().getImplementationVersion();
    return new LoadedPlugin(plugin, source, version == null ? "dev" : version);
  }

  private static String safeName(Plugin plugin) {
    try {
      return plugin.name();
    } catch (RuntimeException e) {
      return plugin.getClass().getName();
    }
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new PluginLoadException("bad plugin path " + jar, e);
    }
  }
}
