package io.ablate.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.Plugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real plugin jars, compiled here as an outside author would build them. */
class PluginLoaderTest {
  private static final String SERVICE = Plugin.class.getName();

  @TempDir
  Path dir;

  private Path pluginJar(Path into, String name, String spiVersion, String component, String describe)
      throws IOException {
    String pkg = "test." + name.replace('-', '_');
    return TestJars.jar(into, name, Map.of(pkg + ".TestPlugin",
        TestJars.plugin(pkg, name, spiVersion, component, describe)), Map.of(SERVICE, pkg + ".TestPlugin"), List.of());
  }

  @Test
  void externalPluginIsRegisteredWithItsJarAsSource() throws IOException {
    Path jar = pluginJar(dir, "talking-heads", "1.0", "talking-heads", "return \"mixes heads\";");
    Registry registry = Wiring.registry(List.of(dir));
    Component c = registry.get(Family.ATTENTION, "talking-heads");
    assertEquals("mixes heads", c.description());
    assertEquals(jar.toString(), c.plugin().source());
    assertInstanceOf(PluginClassLoader.class, c.plugin().plugin().getClass().getClassLoader());
  }

  @Test
  void pluginSeesTheSpiButNotTheCoreNorItsDependencies() throws IOException {
    pluginJar(dir, "snoop", "1.0", "snoop", """
        StringBuilder seen = new StringBuilder();
        for (String cls : new String[] {"io.ablate.spi.Plugin", "io.ablate.tensor.Tensor",
            "io.ablate.core.Wiring", "com.google.inject.Guice", "com.fasterxml.jackson.databind.ObjectMapper"}) {
          try {
            Class.forName(cls, false, TestPlugin.class.getClassLoader());
            seen.append(cls).append(' ');
          } catch (ClassNotFoundException e) {
            // invisible, as intended
          }
        }
        return seen.toString().trim();
        """);
    String seen = Wiring.registry(List.of(dir)).get(Family.ATTENTION, "snoop").description();
    assertEquals("io.ablate.spi.Plugin io.ablate.tensor.Tensor", seen);
  }

  @Test
  void twoPluginsUseDifferentVersionsOfTheSameLibrary() throws IOException {
    for (String version : List.of("1", "2")) {
      Path pluginDir = dir.resolve("plugin-v" + version);
      Path lib = TestJars.jar(pluginDir, "shared-lib", Map.of("com.example.lib.Version",
          "package com.example.lib; public final class Version { public static String get() { return \"lib-"
              + version + "\"; } }"), Map.of(), List.of());
      String pkg = "test.v" + version;
      TestJars.jar(pluginDir, "plugin", Map.of(pkg + ".TestPlugin", TestJars.plugin(pkg, "user-v" + version, "1.0",
          "user-v" + version, "return com.example.lib.Version.get();")), Map.of(SERVICE, pkg + ".TestPlugin"),
          List.of(lib));
    }
    Registry registry = Wiring.registry(List.of(dir));
    assertEquals("lib-1", registry.get(Family.ATTENTION, "user-v1").description());
    assertEquals("lib-2", registry.get(Family.ATTENTION, "user-v2").description());
    assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.lib.Version"));
  }

  @Test
  void pluginBuiltForAnotherSpiVersionIsRefusedNamingTheJar() throws IOException {
    Path jar = pluginJar(dir, "future", "2.0", "future", "return \"\";");
    PluginLoadException e = assertThrows(PluginLoadException.class, () -> Wiring.registry(List.of(dir)));
    assertTrue(e.getMessage().contains(jar.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("built for SPI 2.0"), e.getMessage());
    assertTrue(e.getMessage().contains("provides SPI " + io.ablate.spi.Spi.VERSION), e.getMessage());
  }

  @Test
  void newerMinorSpiIsRefusedOlderMinorIsAccepted() {
    assertTrue(io.ablate.spi.Spi.isCompatible("1.0"));
    assertTrue(!io.ablate.spi.Spi.isCompatible("1.9"));
    assertTrue(!io.ablate.spi.Spi.isCompatible("0.9"));
    assertTrue(!io.ablate.spi.Spi.isCompatible("banana"));
  }

  @Test
  void jarWithoutAPluginIsAnErrorNamingIt() throws IOException {
    Path jar = TestJars.jar(dir, "empty", Map.of("x.Nothing", "package x; public class Nothing {}"), Map.of(),
        List.of());
    PluginLoadException e = assertThrows(PluginLoadException.class, () -> Wiring.registry(List.of(dir)));
    assertTrue(e.getMessage().startsWith(jar + " contains no Ablate plugin"), e.getMessage());
  }

  @Test
  void duplicateComponentNameNamesBothPlugins() throws IOException {
    Path first = pluginJar(dir, "alpha", "1.0", "same-name", "return \"a\";");
    Path second = pluginJar(dir, "beta", "1.0", "same-name", "return \"b\";");
    PluginLoadException e = assertThrows(PluginLoadException.class, () -> Wiring.registry(List.of(dir)));
    assertTrue(e.getMessage().contains("duplicate attention 'same-name'"), e.getMessage());
    assertTrue(e.getMessage().contains(first.toString()) && e.getMessage().contains(second.toString()),
        e.getMessage());
  }

  @Test
  void factoryThatThrowsWhileLoadingIsAnErrorNamingTheJar() throws IOException {
    Path jar = pluginJar(dir, "broken", "1.0", "broken", "throw new IllegalStateException(\"no GPU found\");");
    PluginLoadException e = assertThrows(PluginLoadException.class, () -> Wiring.registry(List.of(dir)));
    assertTrue(e.getMessage().contains(jar.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("no GPU found"), e.getMessage());
  }

  @Test
  void directoriesWithoutJarsAndMissingDirectoriesAreIgnored() throws IOException {
    Files.createDirectories(dir.resolve("sources/src"));
    Files.writeString(dir.resolve("README.md"), "not a plugin");
    assertTrue(Wiring.registry(List.of(dir, dir.resolve("missing"))).list(Family.ATTENTION).isEmpty());
  }

  @Test
  void unknownNameSuggestsTheClosest() throws IOException {
    pluginJar(dir, "rot", "1.0", "rotary", "return \"\";");
    pluginJar(dir, "alb", "1.0", "alibi", "return \"\";");
    ConfigException e = assertThrows(ConfigException.class,
        () -> Wiring.registry(List.of(dir)).get(Family.ATTENTION, "rotray"));
    assertEquals("unknown attention 'rotray' — did you mean 'rotary'? known: alibi, rotary", e.getMessage());
  }
}
