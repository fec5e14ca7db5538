package io.ablate.tracking;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses the store for a tracking URI: {@code http(s)://…} is an MLflow tracking server; a
 * {@code file:} URI or a plain path is a local store in MLflow's file-store layout; {@code sqlite:///…}
 * an MLflow SQLite database (served by a local {@code mlflow server}, {@link SqliteStore}); {@code none}
 * turns tracking off. With no URI (neither given nor in {@code MLFLOW_TRACKING_URI}) it is
 * {@code ./mlruns}, MLflow's own default.
 */
public final class TrackingUri {
  public static final String DEFAULT = "mlruns";
  public static final String NONE = "none";

  private TrackingUri() {}

  /** The URI to use: the given one, else {@code MLFLOW_TRACKING_URI}, else {@link #DEFAULT}. */
  public static String resolve(String given) {
    if (given != null && !given.isBlank()) {
      return given.trim();
    }
    String env = System.getenv("MLFLOW_TRACKING_URI");
    return env != null && !env.isBlank() ? env.trim() : DEFAULT;
  }

  /** The store for a resolved URI, or empty for {@code none}. */
  public static Optional<TrackingStore> open(String uri) {
    if (NONE.equalsIgnoreCase(uri)) {
      return Optional.empty();
    }
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      return Optional.of(new RestStore(uri, Credentials.fromEnvironment()));
    }
    if (uri.startsWith("sqlite:")) {
      return Optional.of(SqliteStore.open(uri));
    }
    if (uri.startsWith("file:")) {
      return Optional.of(new FileStore(Path.of(URI.create(uri))));
    }
    if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !uri.matches("^[a-zA-Z]:[\\\\/].*")) {
      throw new IllegalArgumentException("unsupported tracking URI '" + uri.replaceAll("//[^@/]*@", "//")
          + "': expected http(s)://host:port (an MLflow server), file:/path or a folder (a local MLflow file "
          + "store), sqlite:///path/mlflow.db (an MLflow SQLite database), or 'none'");
    }
    return Optional.of(new FileStore(Path.of(uri)));
  }
}
