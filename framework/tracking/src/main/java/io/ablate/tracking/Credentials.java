package io.ablate.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials for a tracking server, from MLflow's standard environment variables:
 * {@code MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD} (basic auth) or
 * {@code MLFLOW_TRACKING_TOKEN} (bearer token), and {@code MLFLOW_TRACKING_INSECURE_TLS}.
 * They are only ever put in request headers: never in logs, params, tags or messages.
 */
public record Credentials(String username, String password, String token, boolean insecureTls) {
  public static final Credentials NONE = new Credentials(null, null, null, false);

  public static Credentials fromEnvironment() {
    return from(System.getenv());
  }

  static Credentials from(Map<String, String> env) {
    return new Credentials(env.get("MLFLOW_TRACKING_USERNAME"), env.get("MLFLOW_TRACKING_PASSWORD"),
        env.get("MLFLOW_TRACKING_TOKEN"), "true".equalsIgnoreCase(env.get("MLFLOW_TRACKING_INSECURE_TLS")));
  }

  /** The value of an {@code Authorization} header, if any credential is set. */
  public Optional<String> authorization() {
    if (token != null && !token.isEmpty()) {
      return Optional.of("Bearer " + token);
    }
    if (username != null && !username.isEmpty()) {
      String pair = username + ":" + (password == null ? "" : password);
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "Credentials[" + (token != null ? "token" : username != null ? "basic" : "none") + "]";
  }
}
