package io.ablate.tracking;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code mlflow server} for tests: SQLite backend and proxied artifacts in a scratch folder,
 * on 127.0.0.1 and a free port, from the virtual environment {@code scripts/install-mlflow.sh}
 * creates ({@code .mlflow-venv/}, MLflow pinned in {@code scripts/requirements-mlflow.txt}).
 * Without that environment the calling test is skipped with the reason, unless
 * {@code -Dablate.mlflow-tests.required=true} or {@code ABLATE_MLFLOW_TESTS_REQUIRED=true} (CI), when it fails.
 */
public final class MlflowServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private MlflowServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("scripts/requirements-mlflow.txt"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("not inside the Ablate repository: " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  public static Path venv() {
    return repositoryRoot().resolve(".mlflow-venv");
  }

  /** Skips (or, when required, fails) the calling test if MLflow is not installed. */
  public static void assumeInstalled() {
    if (Files.isExecutable(venv().resolve("bin/mlflow"))) {
      return;
    }
    String why = "MLflow is not installed in " + venv() + " (run scripts/install-mlflow.sh)";
    if (Boolean.getBoolean("ablate.mlflow-tests.required")
        || "true".equals(System.getenv("ABLATE_MLFLOW_TESTS_REQUIRED"))) {
      fail(why);
    }
    Assumptions.abort("skipped: " + why);
  }

  public static MlflowServer start(Path dir) {
    assumeInstalled();
    MlflowServer server = new MlflowServer(dir, freePort());
    server.start();
    return server;
  }

  public String uri() {
    return "http://127.0.0.1:" + port;
  }

  public void start() {
    List<String> command = List.of(venv().resolve("bin/mlflow").toString(), "server", "--host", "127.0.0.1",
        "--port", Integer.toString(port), "--workers", "1",
        "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(),
        "--artifacts-destination", dir.resolve("mlartifacts").toAbsolutePath().toString(), "--serve-artifacts");
    try {
      Files.createDirectories(dir);
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);   // minutes on a loaded machine
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mlflow server exited: " + log());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(uri() + "/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(250);
    }
    String log = log();
    kill();                                           // not left running behind the failed test
    throw new IllegalStateException("mlflow server did not answer on " + uri() + " within 180 s: " + log);
  }

  /** Kills the server and its workers at once, as a crash would. */
  public void kill() {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    kill();
  }

  /**
   * Runs a Python script with the MLflow client of the virtual environment, against this server,
   * and returns its standard output.
   */
  public String python(String script, String... args) {
    return runPython(Map.of("MLFLOW_TRACKING_URI", uri()), script, args);
  }

  /** Runs a Python script in MLflow's virtual environment with extra environment variables. */
  public static String runPython(Map<String, String> env, String script, String... args) {
    assumeInstalled();
    List<String> command = new ArrayList<>(List.of(venv().resolve("bin/python").toString(), "-c", script));
    command.addAll(List.of(args));
    try {
      ProcessBuilder b = new ProcessBuilder(command);
      b.environment().putAll(env);
      b.redirectErrorStream(false);
      Process p = b.start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("python failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String log() {
    try {
      String all = Files.readString(dir.resolve("server.log"));
      return all.length() > 3000 ? all.substring(all.length() - 3000) : all;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
