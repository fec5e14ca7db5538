package io.ablate.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles Java sources with the JDK's compiler and packs them into real jars, as a plugin author would. */
final class TestJars {
  private TestJars() {}

  /**
   * @param sources fully qualified class name → source text
   * @param services service interface name → provider class names (lines of META-INF/services/…)
   * @param extraClasspath jars the sources compile against besides the test class path
   */
  static Path jar(Path dir, String name, Map<String, String> sources, Map<String, String> services,
      List<Path> extraClasspath) throws IOException {
    Path src = Files.createTempDirectory(name + "-src");          // outside the plugin directory
    Path classes = Files.createTempDirectory(name + "-classes");
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      files.add(file.toString());
    }
    StringBuilder classpath = new StringBuilder(System.getProperty("java.class.path"));
    for (Path p : extraClasspath) {
      classpath.append(java.io.File.pathSeparator).append(p);
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath.toString(),
        "--release", "17", "-proc:none"));
    args.addAll(files);
    int rc = compiler.run(null, null, null, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("test plugin " + name + " did not compile");
    }
    Path jar = dir.resolve(name + ".jar");
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> walk = Files.walk(classes)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
      for (Map.Entry<String, String> e : services.entrySet()) {
        out.putNextEntry(new JarEntry("META-INF/services/" + e.getKey()));
        OutputStream o = out;
        o.write((e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Source of a plugin with one attention component whose description is computed by {@code describe}. */
  static String plugin(String pkg, String pluginName, String spiVersion, String componentName, String describe) {
    return """
        package %1$s;

        import io.ablate.spi.*;
        import io.ablate.spi.model.Attention;
        import java.util.List;

        public final class TestPlugin implements Plugin {
          public record Config() {}

          public String name() { return "%2$s"; }
          public String spiVersion() { return "%3$s"; }
          public List<ComponentFactory<?, ?>> factories() {
            return List.of(Factories.of(Family.ATTENTION, "%4$s", describe(), Config.class,
                (c, ctx) -> (q, kv, mask) -> q));
          }
          static String describe() { %5$s }
        }
        """.formatted(pkg, pluginName, spiVersion, componentName, describe);
  }
}
