package io.ablate.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * One per external plugin. It sees the SPI (and the tensor API and ND4J under it) from the
 * application, and everything else only from the plugin's own jars: a plugin cannot reach Ablate's
 * internals, and its dependencies cannot clash with Ablate's or another plugin's.
 */
final class PluginClassLoader extends URLClassLoader {
  /** Packages shared with the application: what a plugin compiles against. */
  static final List<String> SHARED_PACKAGES = List.of(
      "java.", "javax.", "jdk.", "sun.", "com.sun.",
      "io.ablate.spi.", "io.ablate.tensor.",
      "org.nd4j.", "org.bytedeco.", "org.slf4j.");

  private final ClassLoader application;

  PluginClassLoader(String name, URL[] jars, ClassLoader application) {
    super(name, jars, ClassLoader.getPlatformClassLoader());
    this.application = application;
  }

  static boolean isShared(String className) {
    for (String p : SHARED_PACKAGES) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        c = isShared(name) ? sharedClass(name) : ownClass(name);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private Class<?> sharedClass(String name) throws ClassNotFoundException {
    try {
      return application.loadClass(name);
    } catch (ClassNotFoundException e) {
      return getParent().loadClass(name);
    }
  }

  private Class<?> ownClass(String name) throws ClassNotFoundException {
    try {
      return findClass(name);
    } catch (ClassNotFoundException e) {
      return getParent().loadClass(name);   // the JDK's platform modules (java.sql, …)
    }
  }

  /** Resources come from the plugin's jars only, so service files of other plugins stay invisible. */
  @Override
  public URL getResource(String name) {
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    Enumeration<URL> own = findResources(name);
    return own.hasMoreElements() ? own : Collections.emptyEnumeration();
  }
}
