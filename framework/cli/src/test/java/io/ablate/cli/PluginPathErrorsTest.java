package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party plugin jars as the command line sees them (jars compiled here, as a plugin author's
 * build would make them): a bad jar stops {@code ablate plugins} and {@code ablate run} with one line
 * naming it and exit code 2, before anything runs; a plugin's own library stays inside its plugin.
 */
class PluginPathErrorsTest {
  @TempDir
  Path tmp;

  private static final String SERVICE = "META-INF/services/io.ablate.spi.Plugin";

  /** A plugin with one attention component (the identity) whose description is computed by {@code describe}. */
  private static String plugin(String pkg, String spiVersion, String component, String describe) {
    return """
        package %1$s;

        import io.ablate.spi.*;
        import java.util.List;

        public final class TestPlugin implements Plugin {
          public record Config() {}

          public String name() { return "%3$s-plugin"; }
          public String spiVersion() { return "%2$s"; }
          public List<ComponentFactory<?, ?>> factories() {
            return List.of(Factories.of(Family.ATTENTION, "%3$s", describe(), Config.class,
                (c, ctx) -> (q, kv, mask) -> q));
          }
          static String describe() { %4$s }
        }
        """.formatted(pkg, spiVersion, component, describe);
  }

  /** Compiles the sources into {@code jar}, with a service file listing {@code provider} (null: none). */
  private Path jar(Path jar, Map<String, String> sources, String provider, List<Path> classpath) throws IOException {
    Path src = JavaSources.write(Files.createTempDirectory(tmp, "src"), sources);
    Path classes = Files.createTempDirectory(tmp, "classes");
    JavaSources.compile(List.of(src), classes, classpath);
    return JavaSources.jar(jar, classes, provider == null ? Map.of() : Map.of(SERVICE, provider + "\n"));
  }

  private static void assertOneLineNaming(CliRunner.Result r, String... parts) {
    assertEquals(2, r.code(), "exit code; out:\n" + r.out() + "\nerr:\n" + r.err());
    assertEquals(1, r.errText().lines().count(), "one line:\n" + r.err());
    for (String part : parts) {
      assertTrue(r.errText().contains(part), "'" + part + "' in: " + r.errText());
    }
  }

  @Test
  void aJarWithoutAPluginIsOneLineNamingIt() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path jar = jar(dir.resolve("helpers.jar"), Map.of("com.acme.Helper", "package com.acme; public class Helper {}"),
        null, List.of());
    CliRunner.Result r = CliRunner.run("plugins", "--plugin-path", dir.toString());
    assertOneLineNaming(r, "ablate plugins: ", jar.toString(), "contains no Ablate plugin");
  }

  @Test
  void aFileThatIsNotAJarIsOneLineNamingIt() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Files.writeString(dir.resolve("truncated.jar"), "PK\u0003\u0004 not really a zip");
    CliRunner.Result r = CliRunner.run("plugins", "--plugin-path", dir.toString());
    assertOneLineNaming(r, "truncated.jar");
  }

  @Test
  void aPluginBuiltForAnotherSpiIsOneLineNamingItsJarAndVersions() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path jar = jar(dir.resolve("future.jar"), Map.of("com.acme.future.TestPlugin",
        plugin("com.acme.future", "2.0", "future-attention", "return \"from the future\";")),
        "com.acme.future.TestPlugin", List.of());
    CliRunner.Result r = CliRunner.run("plugins", "--plugin-path", dir.toString());
    assertOneLineNaming(r, jar.toString(), "built for SPI 2.0", "Rebuild the plugin against ablate-spi");
  }

  @Test
  void runStopsBeforeAnythingStartsWhenAPluginIsBad() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path jar = jar(dir.resolve("throws.jar"), Map.of("com.acme.bad.TestPlugin",
        plugin("com.acme.bad", "1.0", "bad-attention", "throw new IllegalStateException(\"no licence file\");")),
        "com.acme.bad.TestPlugin", List.of());
    Path spec = Files.writeString(tmp.resolve("study.yaml"), """
        study: never-starts
        base:
          task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 4, eval_examples: 2}
          tokenizer: char
          model: {architecture: decoder, d_model: 8, layers: 1, heads: 2, attention: mha}
          train: {steps: 2, batch: 2}
        seeds: [1]
        """);
    Path results = tmp.resolve("results");
    CliRunner.Result r = CliRunner.run("run", spec.toString(), "--plugin-path", dir.toString(), "--results-dir",
        results.toString(), "--quiet");
    assertOneLineNaming(r, "ablate run: ", jar.toString(), "no licence file");
    assertFalse(Files.exists(results), "nothing written: the study never started");
  }

  /**
   * Two plugins, each in a sub-directory with its own version of the same library (same class
   * name, different behaviour): each sees its own, and the command line's class loader sees neither.
   */
  @Test
  void eachPluginSeesItsOwnVersionOfALibrary() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    List<Path> libraries = new ArrayList<>();
    for (String version : List.of("one", "two")) {
      Path lib = jar(dir.resolve("lib-" + version).resolve("greeting-" + version + ".jar"), Map.of("com.acme.lib.Greeting",
          "package com.acme.lib; public final class Greeting { public static String text() { return \"version "
              + version + "\"; } }"), null, List.of());
      libraries.add(lib);
      jar(dir.resolve("lib-" + version).resolve("plugin.jar"), Map.of("com.acme." + version + ".TestPlugin",
          plugin("com.acme." + version, "1.0", "uses-" + version, "return \"greets with \" + com.acme.lib.Greeting.text();")),
          "com.acme." + version + ".TestPlugin", List.of(lib));
    }
    CliRunner.Result r = CliRunner.run("plugins", "--json", "--family", "attention", "--plugin-path", dir.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode attention = new ObjectMapper().readTree(r.out()).get("attention");
    Map<String, String> descriptions = new java.util.HashMap<>();
    attention.forEach(c -> descriptions.put(c.get("name").asText(), c.get("description").asText()));
    assertEquals("greets with version one", descriptions.get("uses-one"));
    assertEquals("greets with version two", descriptions.get("uses-two"));
    assertThrows(ClassNotFoundException.class, () -> Class.forName("com.acme.lib.Greeting", false,
        PluginPathErrorsTest.class.getClassLoader()), "a plugin's library does not reach the application");
  }
}
