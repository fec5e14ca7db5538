package io.ablate.tracking;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Uploads and downloads run artifacts through a tracking server's artifact proxy (the
 * {@code mlflow-artifacts} REST endpoints of {@code mlflow server --serve-artifacts}), over plain
 * HTTP: no Python on the client. A run's artifact URI {@code mlflow-artifacts:/<exp>/<run>/artifacts}
 * maps to {@code <server>/api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/<path>}.
 */
final class ArtifactProxy {
  private static final String ENDPOINT = "/api/2.0/mlflow-artifacts/artifacts/";

  private final String server;
  private final Credentials credentials;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ArtifactProxy(String server, Credentials credentials) {
    this.server = server.replaceAll("/+$", "");
    this.credentials = credentials;
  }

  /** The proxy path of a run's artifact root, or a clear error when the server does not proxy artifacts. */
  static String rootPath(String artifactUri) {
    if (artifactUri == null || !artifactUri.startsWith("mlflow-artifacts:")) {
      throw new TrackingException("the tracking server stores artifacts at '" + artifactUri
          + "', which this client cannot write to; start the server with proxied artifacts (`mlflow server "
          + "--serve-artifacts --artifacts-destination …`)", false);
    }
    String path = URI.create(artifactUri).getPath();
    return path.replaceAll("^/+", "").replaceAll("/+$", "");
  }

  void upload(String artifactRoot, String relative, Path file) {
    HttpRequest.Builder request;
    try {
      request = request(artifactRoot, relative).PUT(HttpRequest.BodyPublishers.ofFile(file))
          .header("Content-Type", "application/octet-stream");
    } catch (IOException e) {
      throw new TrackingException("cannot read artifact " + file + ": " + e.getMessage(), false, e);
    }
    send(request.build(), HttpResponse.BodyHandlers.discarding(), "upload " + relative);
  }

  void download(String artifactRoot, String relative, Path target) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".download", ".tmp");
      send(request(artifactRoot, relative).GET().build(), HttpResponse.BodyHandlers.ofFile(tmp,
          java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING),
          "download " + relative);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new TrackingException("cannot write " + target + ": " + e.getMessage(), true, e);
    }
  }

  private HttpRequest.Builder request(String artifactRoot, String relative) {
    StringBuilder path = new StringBuilder();
    for (String part : (artifactRoot + "/" + relative).split("/")) {
      if (!part.isEmpty()) {
        path.append(path.length() == 0 ? "" : "/").append(URLEncoder.encode(part, StandardCharsets.UTF_8)
            .replace("+", "%20"));
      }
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + ENDPOINT + path))
        .timeout(Duration.ofMinutes(5));
    credentials.authorization().ifPresent(a -> b.header("Authorization", a));
    return b;
  }

  private <T> void send(HttpRequest request, HttpResponse.BodyHandler<T> body, String what) {
    HttpResponse<T> response;
    try {
      response = http.send(request, body);
    } catch (IOException e) {
      throw new TrackingException("cannot " + what + " at " + server + ": " + e, true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while trying to " + what, true, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new TrackingException("cannot " + what + " at " + server + ": HTTP " + response.statusCode(),
          TrackingException.retryableStatus(response.statusCode()));
    }
  }
}
