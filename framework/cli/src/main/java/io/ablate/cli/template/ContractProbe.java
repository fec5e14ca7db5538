package io.ablate.cli.template;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds out whether the conformance kit a generated project will compile against has a family's
 * contract class ({@code io.ablate.testkit.AttentionContract}, …) and what a test extending it must
 * implement, so that the template extends the contract only where the result compiles.
 *
 * <p>The kit looked at is the installed {@code ablate-testkit} jar of the running Ablate's version
 * (what the generated pom resolves); without one, the command line's own class path.
 */
public final class ContractProbe {
  /** Abstract methods a generated contract test knows how to implement. */
  static final Set<String> IMPLEMENTED = Set.of("factory", "capabilities");

  private ContractProbe() {}

  /**
   * What was found.
   *
   * @param present the contract class exists in the kit
   * @param usable a generated test can extend it: its abstract methods are among {@link #IMPLEMENTED}
   * @param capabilities the constants of its nested {@code Capability} enum, in declaration order (may be empty)
   * @param declaresCapabilities it has an abstract {@code capabilities()} to implement
   * @param note why it is not used, when present but not usable, or how the probe failed
   */
  public record Result(boolean present, boolean usable, List<String> capabilities, boolean declaresCapabilities,
      String note) {
    static Result absent(String note) {
      return new Result(false, false, List.of(), false, note);
    }
  }

  /**
   * @param className e.g. {@code io.ablate.testkit.AttentionContract}
   * @param testkitJar the installed testkit jar, or null when there is none
   * @param repository to find JUnit's jars, whose types may appear in the contract's method signatures
   * @param fallback the class loader to look in when there is no installed jar
   */
  public static Result probe(String className, Path testkitJar, LocalRepository repository, ClassLoader fallback) {
    try {
      if (testkitJar != null && Files.isRegularFile(testkitJar)) {
        if (!hasEntry(testkitJar, className.replace('.', '/') + ".class")) {
          return Result.absent(className + " is not in " + testkitJar.getFileName());
        }
        List<URL> urls = new ArrayList<>(List.of(url(testkitJar)));
        for (String[] junit : JUNIT) {
          Path jar = newest(repository.root().resolve(junit[0]), junit[1]);
          if (jar != null) {
            urls.add(url(jar));
          }
        }
        try (URLClassLoader loader = new KitFirstLoader(urls.toArray(URL[]::new), fallback)) {
          return inspect(Class.forName(className, false, loader));
        }
      }
      return inspect(Class.forName(className, false, fallback));
    } catch (ClassNotFoundException e) {
      return Result.absent(className + " is not on the class path");
    } catch (IOException | LinkageError | RuntimeException e) {
      return Result.absent("could not inspect " + className + ": " + e);
    }
  }

  private static Result inspect(Class<?> contract) {
    List<String> unknown = new ArrayList<>();
    boolean declaresCapabilities = false;
    for (Method m : unimplemented(contract)) {
      if (m.getName().equals("capabilities") && m.getParameterCount() == 0 && Set.class.isAssignableFrom(m.getReturnType())) {
        declaresCapabilities = true;
      } else if (!(m.getName().equals("factory") && m.getParameterCount() == 0)) {
        unknown.add(m.getName() + "(" + m.getParameterCount() + " parameters)");
      }
    }
    List<String> capabilities = capabilities(contract);
    if (declaresCapabilities && capabilities.isEmpty()) {
      unknown.add("capabilities() without a nested Capability enum");
    }
    if (!unknown.isEmpty()) {
      return new Result(true, false, capabilities, declaresCapabilities,
          contract.getSimpleName() + " has abstract methods this template does not implement: "
              + String.join(", ", unknown));
    }
    return new Result(true, true, capabilities, declaresCapabilities, null);
  }

  /** Abstract methods of the class and its superclasses that no class below overrides. */
  private static List<Method> unimplemented(Class<?> type) {
    Set<String> seen = new HashSet<>();
    List<Method> open = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      Method[] methods = c.getDeclaredMethods();
      Arrays.sort(methods, Comparator.comparing(Method::getName));
      for (Method m : methods) {
        if (m.isSynthetic() || m.isBridge() || Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        String signature = m.getName() + Arrays.toString(m.getParameterTypes());
        if (seen.add(signature) && Modifier.isAbstract(m.getModifiers())) {
          open.add(m);
        }
      }
    }
    return open;
  }

  /** The constants of the nearest nested enum named {@code Capability}, without initialising it. */
  private static List<String> capabilities(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Class<?> nested : c.getDeclaredClasses()) {
        if (nested.isEnum() && nested.getSimpleName().equals("Capability")) {
          Set<String> names = new LinkedHashSet<>();
          for (Field f : nested.getDeclaredFields()) {
            if (f.isEnumConstant()) {
              names.add(f.getName());
            }
          }
          return List.copyOf(names);
        }
      }
    }
    return List.of();
  }

  /** JUnit's API jars, by folder under the repository and artifact name. */
  private static final String[][] JUNIT = {
      {"org/junit/jupiter/junit-jupiter-api", "junit-jupiter-api"},
      {"org/junit/platform/junit-platform-commons", "junit-platform-commons"},
      {"org/opentest4j/opentest4j", "opentest4j"},
      {"org/apiguardian/apiguardian-api", "apiguardian-api"}};

  /** The jar of the highest installed version of an artifact, or null. */
  private static Path newest(Path artifactDir, String artifactId) throws IOException {
    if (!Files.isDirectory(artifactDir)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(artifactDir)) {
      return versions.map(v -> v.resolve(artifactId + "-" + v.getFileName() + ".jar"))
          .filter(Files::isRegularFile)
          .max(Comparator.comparing(p -> p.getParent().getFileName().toString(), ContractProbe::compareVersions))
          .orElse(null);
    }
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = x[i].matches("\\d+") && y[i].matches("\\d+")
          ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i])) : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static boolean hasEntry(Path jar, String entry) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getEntry(entry) != null;
    }
  }

  private static URL url(Path path) throws MalformedURLException {
    return path.toUri().toURL();
  }

  /** Loads the testkit's own classes from the installed jar first, whatever version the CLI carries. */
  private static final class KitFirstLoader extends URLClassLoader {
    KitFirstLoader(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("io.ablate.testkit.")) {
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            try {
              c = findClass(name);
            } catch (ClassNotFoundException e) {
              c = super.loadClass(name, false);
            }
          }
          if (resolve) {
            resolveClass(c);
          }
          return c;
        }
      }
      return super.loadClass(name, resolve);
    }
  }
}
