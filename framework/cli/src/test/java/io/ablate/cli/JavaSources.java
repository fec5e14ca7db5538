package io.ablate.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
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

/** Compiles Java sources with the JDK's compiler and packs classes into jars, as a plugin author's build would. */
final class JavaSources {
  private JavaSources() {}

  /** The test's own class path: surefire's real one (its booter jar hides it from java.class.path). */
  static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  /**
   * Compiles every {@code .java} file under {@code sources} into {@code classes}.
   *
   * @return the compiler's messages; the build fails (IllegalStateException with them) on an error
   */
  static String compile(List<Path> sources, Path classes, List<Path> classpath) throws IOException {
    List<String> files = new ArrayList<>();
    for (Path root : sources) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(f -> f.toString().endsWith(".java")).forEach(f -> files.add(f.toString()));
      }
    }
    StringBuilder cp = new StringBuilder(testClassPath());
    for (Path p : classpath) {
      cp.append(File.pathSeparator).append(p);
    }
    Files.createDirectories(classes);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", cp.toString(), "--release", "17",
        "-proc:none", "-Xlint:all,-processing,-serial,-path", "-encoding", "UTF-8"));
    args.addAll(files);
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    int rc = compiler.run(null, messages, messages, args.toArray(String[]::new));
    String text = messages.toString(StandardCharsets.UTF_8);
    if (rc != 0) {
      throw new IllegalStateException("compilation failed:\n" + text);
    }
    return text;
  }

  /** Writes sources (qualified class name → text) under {@code dir} and returns it. */
  static Path write(Path dir, Map<String, String> sources) throws IOException {
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = dir.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
    }
    return dir;
  }

  /** A jar of the classes under {@code classes} plus extra entries (path → text, e.g. service files). */
  static Path jar(Path jar, Path classes, Map<String, String> extra) throws IOException {
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> walk = Files.walk(classes)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
      for (Map.Entry<String, String> e : extra.entrySet()) {
        out.putNextEntry(new JarEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }
}
