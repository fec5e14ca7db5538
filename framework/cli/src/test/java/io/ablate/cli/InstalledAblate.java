package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ablate.cli.template.LocalRepository;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * For tests that build plugin projects with Maven, as an outsider would: they need this checkout's
 * artifacts installed in the local repository ({@code mvn install -DskipTests}). Without them — or
 * with installed artifacts older than the sources — such a test is skipped with the reason, unless
 * {@code -Dablate.plugin-tests.required=true} (CI, after its install step) makes that a failure.
 */
final class InstalledAblate {
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

  private InstalledAblate() {}

  /** The local repository, once it is known to hold this checkout's BOM, SPI and conformance kit. */
  static LocalRepository require() throws IOException {
    LocalRepository repo = LocalRepository.find();
    String version = AblateVersion.current();
    Path bom = repo.ablate("ablate-bom", version, "pom");
    check(Files.isRegularFile(bom), "io.ablate:ablate-bom:" + version + " is not in " + repo.root()
        + ": run `mvn install -DskipTests` first");
    check(which("mvn") != null, "no mvn on the PATH");
    for (String module : List.of("spi", "testkit", "core", "tensor")) {
      Path jar = repo.ablate("ablate-" + module, version, "jar");
      check(Files.isRegularFile(jar), jar + " is missing: run `mvn install -DskipTests` first");
      FileTime sources = newest(ROOT.resolve("framework").resolve(module).resolve("src/main"));
      check(Files.getLastModifiedTime(jar).compareTo(sources) >= 0, "the installed ablate-" + module
          + " is older than its sources: run `mvn install -DskipTests` first");
    }
    return repo;
  }

  private static void check(boolean ok, String why) {
    if (!ok && Boolean.getBoolean("ablate.plugin-tests.required")) {
      fail(why);
    }
    assumeTrue(ok, () -> "skipped: " + why);
  }

  private static FileTime newest(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return FileTime.fromMillis(0);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(f -> {
        try {
          return Files.getLastModifiedTime(f);
        } catch (IOException e) {
          return FileTime.fromMillis(0);
        }
      }).max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
    }
  }

  /** The executable on the PATH, or null. */
  static Path which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Shims for a shell that follows the docs: {@code ablate} runs this build's command line (the
   * test class path, not a packaged jar that may be stale), {@code mvn} runs Maven in batch mode with
   * the local repository {@link #require()} checked, so that the BOM and conformance kit it resolves are
   * this checkout's. Not offline: a plugin project resolves third-party versions (commons-math3 3.5
   * through ND4J, say) that Ablate's own build pins to others and so never downloaded.
   */
  static Path shims(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path ablate = dir.resolve("ablate");
    Files.writeString(ablate, "#!/usr/bin/env bash\nexport OMP_WAIT_POLICY=PASSIVE\nexec '"
        + Path.of(System.getProperty("java.home"), "bin", "java") + "' -Xmx1g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
        + " -cp '" + JavaSources.testClassPath() + "' io.ablate.cli.Ablate \"$@\"\n");
    Path mvn = dir.resolve("mvn");
    Files.writeString(mvn, "#!/usr/bin/env bash\nexec '" + which("mvn") + "' -B '-Dmaven.repo.local="
        + LocalRepository.find().root() + "' \"$@\"\n");
    ablate.toFile().setExecutable(true);
    mvn.toFile().setExecutable(true);
    return dir;
  }

  record Shell(int code, String output, long millis) {}

  /** Runs a bash script (errexit, pipefail) in {@code dir} with the shims first on the PATH. */
  static Shell bash(String script, Path dir, Path shims, long timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir.getParent(), "shell", ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("ABLATE", shims.toString());
    env.put("PATH", shims + File.pathSeparator + env.getOrDefault("PATH", ""));
    env.put("OMP_WAIT_POLICY", "PASSIVE");
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("timed out after " + timeoutSeconds + " s:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Shell(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
  }

  /** Each surefire report under {@code reports}: tests ran and none failed (explicit capability skips are fine). */
  static int assertTestsPassed(Path reports, String what) throws IOException {
    return assertTestsPassed(reports, what, "TEST-");
  }

  /** The same, for the reports whose file name starts with {@code prefix}. */
  static int assertTestsPassed(Path reports, String what, String prefix) throws IOException {
    int tests = 0;
    List<String> problems = new ArrayList<>();
    try (Stream<Path> files = Files.list(reports)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        String xml = Files.readString(f);
        tests += attribute(xml, "tests");
        if (attribute(xml, "failures") + attribute(xml, "errors") > 0) {
          problems.add(f.getFileName().toString());
        }
      }
    }
    assertEquals(List.of(), problems, what + ": reports with failures or errors");
    check(tests > 0, what + ": no tests ran");
    return tests;
  }

  /**
   * The surefire report of {@code testClass} (fully qualified) lists every {@code @Test} method that the
   * kit's {@code contract} declares (read from its source in this checkout, which {@link #require()}
   * found no newer than the installed jar): the generated test ran the installed contract.
   */
  static void assertRanContract(Path reports, String testClass, String contract) throws IOException {
    String source = Files.readString(ROOT.resolve("framework/testkit/src/main/java/io/ablate/testkit")
        .resolve(contract + ".java"));
    List<String> declared = java.util.regex.Pattern.compile("@Test\\s+(?:public\\s+)?void\\s+(\\w+)\\(")
        .matcher(source).results().map(r -> r.group(1)).toList();
    assertTrue(!declared.isEmpty(), contract + " declares no @Test methods");
    String report = Files.readString(reports.resolve("TEST-" + testClass + ".xml"));
    List<String> missing = declared.stream()       // a method with parameters is reported as name(Type, …)
        .filter(m -> !report.contains("<testcase name=\"" + m + "\"") && !report.contains("<testcase name=\"" + m + "("))
        .toList();
    assertEquals(List.of(), missing, testClass + " ran " + contract + "'s tests; not in its report");
  }

  private static int attribute(String xml, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<testsuite [^>]*?\\b" + name + "=\"(\\d+)\"")
        .matcher(xml);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
