package io.ablate.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An MLflow SQLite database ({@code sqlite:///path/mlflow.db}), the local store MLflow recommends
 * now that its file store is deprecated. MLflow's schema is MLflow's business (it migrates it with
 * Alembic), so Ablate does not write the database itself: it starts {@code mlflow server} on it,
 * on 127.0.0.1 and a free port, with artifacts in {@code mlartifacts/} beside the database, talks
 * to it as to any server ({@link RestStore}) and stops it on {@link #close()} or at exit. It needs
 * MLflow installed: {@code ABLATE_MLFLOW} (the {@code mlflow} executable), else the launcher's
 * {@code .mlflow-venv/} ({@code scripts/install-mlflow.sh}), else {@code mlflow} on the PATH.
 */
public final class SqliteStore implements TrackingStore {
  private final String uri;
  private final Process process;
  private final RestStore rest;
  private final Thread onExit;

  private SqliteStore(String uri, Process process, RestStore rest) {
    this.uri = uri;
    this.process = process;
    this.rest = rest;
    this.onExit = new Thread(this::stop, "ablate-mlflow-sqlite-stop");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** Starts a server on the database of a {@code sqlite:///…} URI (created with its folder if absent). */
  public static SqliteStore open(String uri) {
    Path db = database(uri);
    String mlflow = executable().orElseThrow(() -> new IllegalArgumentException("tracking URI " + uri
        + " needs MLflow installed to serve the SQLite database: run scripts/install-mlflow.sh, or set "
        + "ABLATE_MLFLOW to an mlflow executable; or use a file store (a folder) or an http:// server"));
    int port = freePort();
    Path dir = db.getParent();
    List<String> command = List.of(mlflow, "server", "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--workers", "1", "--backend-store-uri", "sqlite:///" + db, "--artifacts-destination",
        dir.resolve("mlartifacts").toString(), "--serve-artifacts");
    Path log = dir.resolve("mlflow-server.log");
    Process process;
    try {
      Files.createDirectories(dir);
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mlflow, e);
    }
    String server = "http://127.0.0.1:" + port;
    waitUntilUp(server, process, log);
    return new SqliteStore(uri, process, new RestStore(server, Credentials.NONE));
  }

  /** The database file of {@code sqlite:///relative.db} or {@code sqlite:////absolute.db}, as MLflow reads them. */
  static Path database(String uri) {
    if (!uri.startsWith("sqlite:///")) {
      throw new IllegalArgumentException("unsupported SQLite URI '" + uri + "': expected sqlite:///path/to/mlflow.db");
    }
    return Path.of(uri.substring("sqlite:///".length())).toAbsolutePath().normalize();
  }

  static Optional<String> executable() {
    String given = System.getenv("ABLATE_MLFLOW");
    if (given != null && !given.isBlank()) {
      return Optional.of(given);
    }
    String home = System.getProperty("ablate.home");
    for (Path candidate : home == null ? List.<Path>of() : List.of(Path.of(home, ".mlflow-venv", "bin", "mlflow"))) {
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "mlflow"))) {
        return Optional.of(Path.of(dir, "mlflow").toString());
      }
    }
    return Optional.empty();
  }

  private static void waitUntilUp(String server, Process process, Path log) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalArgumentException("mlflow server exited at start (see " + log + ")");
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(server + "/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    throw new IllegalArgumentException("mlflow server on the SQLite database did not start within 120 s (see " + log + ")");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String describe() {
    return uri;
  }

  @Override
  public String experiment(String name) {
    return rest.experiment(name);
  }

  @Override
  public Optional<String> findExperiment(String name) {
    return rest.findExperiment(name);
  }

  @Override
  public Optional<String> findRun(String experimentId, String key) {
    return rest.findRun(experimentId, key);
  }

  @Override
  public String createRun(String experimentId, String name, long startTime, Map<String, String> tags) {
    return rest.createRun(experimentId, name, startTime, tags);
  }

  @Override
  public void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
    rest.logBatch(runId, metrics, params, tags);
  }

  @Override
  public void setStatus(String runId, RunStatus status, Long endTime) {
    rest.setStatus(runId, status, endTime);
  }

  @Override
  public void uploadArtifact(String runId, String dir, Path file) {
    rest.uploadArtifact(runId, dir, file);
  }

  @Override
  public List<StoredRun> runs(String experimentId) {
    return rest.runs(experimentId);
  }

  @Override
  public List<MetricPoint> history(String runId, String key) {
    return rest.history(runId, key);
  }

  @Override
  public void downloadArtifact(String runId, String path, Path target) {
    rest.downloadArtifact(runId, path, target);
  }

  /** Stops the server (its workers first); the database stays. */
  @Override
  public void close() {
    rest.close();
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs
    }
  }

  private void stop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
