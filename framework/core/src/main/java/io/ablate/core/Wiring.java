package io.ablate.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.ablate.core.plugin.LoadedPlugin;
import io.ablate.core.plugin.PluginLoader;
import io.ablate.core.plugin.PluginsModule;
import io.ablate.core.plugin.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the one injector of a process: plugins are loaded first, then bound, then injected. */
public final class Wiring {
  private Wiring() {}

  public static Injector injector(List<Path> pluginDirs, Module... more) {
    List<LoadedPlugin> plugins = PluginLoader.load(Wiring.class.getClassLoader(), pluginDirs);
    List<Module> modules = new ArrayList<>(List.of(new PluginsModule(plugins)));
    modules.addAll(List.of(more));
    return Guice.createInjector(modules);
  }

  /** The registry of built-ins plus the plugins in {@code pluginDirs}. */
  public static Registry registry(List<Path> pluginDirs) {
    return injector(pluginDirs).getInstance(Registry.class);
  }

  /** The registry of the plugins on the class path only. */
  public static Registry builtins() {
    return registry(List.of());
  }
}
