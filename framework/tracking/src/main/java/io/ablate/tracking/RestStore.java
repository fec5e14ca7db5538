package io.ablate.tracking;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * A real MLflow tracking server, through MLflow's Java REST client, with artifacts through the
 * server's artifact proxy ({@link ArtifactProxy}). Every failure becomes a {@link TrackingException}
 * that says whether a retry can help.
 */
public final class RestStore implements TrackingStore {
  private final String uri;
  private final MlflowClient client;
  private final ArtifactProxy artifacts;
  private final Map<String, String> artifactRoots = new ConcurrentHashMap<>();

  public RestStore(String uri, Credentials credentials) {
    this.uri = uri.replaceAll("/+$", "");
    BasicMlflowHostCreds creds = credentials.token() != null
        ? new BasicMlflowHostCreds(this.uri, null, null, credentials.token(), credentials.insecureTls())
        : new BasicMlflowHostCreds(this.uri, credentials.username(), credentials.password(), null,
            credentials.insecureTls());
    this.client = new MlflowClient(creds);
    this.artifacts = new ArtifactProxy(this.uri, credentials);
  }

  @Override
  public String describe() {
    return uri;
  }

  @Override
  public String experiment(String name) {
    Optional<Service.Experiment> found = lookUp(name);
    if (found.isPresent()) {
      String id = found.get().getExperimentId();
      if (found.get().getTagsList().stream().noneMatch(t -> t.getKey().equals(EXPERIMENT_KIND_TAG))) {
        call("tag experiment " + name, () -> {
          client.setExperimentTag(id, EXPERIMENT_KIND_TAG, EXPERIMENT_KIND);
          return null;
        });
      }
      return id;
    }
    return call("create experiment " + name, () -> {
      try {
        return client.createExperiment(Service.CreateExperiment.newBuilder().setName(name)
            .addTags(Service.ExperimentTag.newBuilder().setKey(EXPERIMENT_KIND_TAG).setValue(EXPERIMENT_KIND))
            .build());
      } catch (MlflowHttpException e) {
        if (e.getStatusCode() == 400 && String.valueOf(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS")) {
          return findExperiment(name).orElseThrow(() -> e);      // created meanwhile by another process
        }
        throw e;
      }
    });
  }

  @Override
  public Optional<String> findExperiment(String name) {
    return lookUp(name).map(Service.Experiment::getExperimentId);
  }

  private Optional<Service.Experiment> lookUp(String name) {
    // a search, not get-by-name: the client retries a 404 with sleeps
    String filter = "name = '" + name.replace("'", "\\'") + "'";
    return call("look up experiment " + name, () -> client.searchExperiments(filter).getItems().stream()
        .filter(e -> e.getName().equals(name)).findFirst());
  }

  @Override
  public Optional<String> findRun(String experimentId, String key) {
    String filter = "tags.`" + KEY_TAG + "` = '" + key.replace("'", "\\'") + "'";
    return call("search runs", () -> client.searchRuns(List.of(experimentId), filter).stream()
        .map(Service.RunInfo::getRunId).findFirst());
  }

  @Override
  public String createRun(String experimentId, String name, long startTime, Map<String, String> tags) {
    Service.CreateRun.Builder request = Service.CreateRun.newBuilder().setExperimentId(experimentId)
        .setRunName(name).setStartTime(startTime);
    tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
    Service.RunInfo info = call("create run " + name, () -> client.createRun(request.build()));
    artifactRoots.put(info.getRunId(), info.getArtifactUri());
    return info.getRunId();
  }

  @Override
  public void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params,
      Map<String, String> tags) {
    List<Service.Metric> m = metrics.stream().map(p -> Service.Metric.newBuilder().setKey(p.key())
        .setValue(p.value()).setTimestamp(p.timestamp()).setStep(p.step()).build()).toList();
    List<Service.Param> p = params.entrySet().stream()
        .map(e -> Service.Param.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build()).toList();
    List<Service.RunTag> t = tags.entrySet().stream()
        .map(e -> Service.RunTag.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build()).toList();
    call("log to run " + runId, () -> {
      client.logBatch(runId, m, p, t);
      return null;
    });
  }

  @Override
  public void setStatus(String runId, RunStatus status, Long endTime) {
    String body = "{\"run_id\":\"" + runId + "\",\"status\":\"" + status.name() + "\""
        + (endTime != null && status.terminal() ? ",\"end_time\":" + endTime : "") + "}";
    call("set status of run " + runId, () -> client.sendPost("runs/update", body));
  }

  @Override
  public void uploadArtifact(String runId, String dir, Path file) {
    String relative = dir.isEmpty() ? file.getFileName().toString() : dir + "/" + file.getFileName();
    artifacts.upload(artifactRoot(runId), relative, file);
  }

  @Override
  public void downloadArtifact(String runId, String path, Path target) {
    artifacts.download(artifactRoot(runId), path, target);
  }

  private String artifactRoot(String runId) {
    String artifactUri = artifactRoots.computeIfAbsent(runId,
        id -> call("read run " + id, () -> client.getRun(id).getInfo().getArtifactUri()));
    return ArtifactProxy.rootPath(artifactUri);
  }

  @Override
  public List<StoredRun> runs(String experimentId) {
    List<StoredRun> out = new ArrayList<>();
    Page<Service.Run> page = call("search runs", () -> client.searchRuns(List.of(experimentId), "",
        Service.ViewType.ACTIVE_ONLY, 1000));
    while (true) {
      for (Service.Run run : page.getItems()) {
        out.add(stored(run));
      }
      if (!page.hasNextPage()) {
        return out;
      }
      Page<Service.Run> current = page;
      page = call("search runs", current::getNextPage);
    }
  }

  private static StoredRun stored(Service.Run run) {
    Service.RunInfo info = run.getInfo();
    Map<String, String> tags = new LinkedHashMap<>();
    run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
    Map<String, String> params = new LinkedHashMap<>();
    run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
    Map<String, Double> latest = new LinkedHashMap<>();
    run.getData().getMetricsList().forEach(m -> latest.put(m.getKey(), m.getValue()));
    return new StoredRun(info.getRunId(), info.getExperimentId(), info.getRunName(),
        RunStatus.valueOf(info.getStatus().name().equals("SCHEDULED") ? "RUNNING" : info.getStatus().name()),
        info.getStartTime(), info.hasEndTime() ? info.getEndTime() : null, tags, params, latest);
  }

  @Override
  public List<MetricPoint> history(String runId, String key) {
    return call("read metric " + key, () -> client.getMetricHistory(runId, key).stream()
        .map(m -> new MetricPoint(m.getKey(), m.getValue(), m.getTimestamp(), m.getStep())).toList());
  }

  @Override
  public void close() {
    client.close();
  }

  private <T> T call(String what, Supplier<T> request) {
    try {
      return request.get();
    } catch (MlflowHttpException e) {
      throw new TrackingException("cannot " + what + " at " + uri + ": HTTP " + e.getStatusCode() + " "
          + e.getBodyMessage(), TrackingException.retryableStatus(e.getStatusCode()), e);
    } catch (MlflowClientException e) {
      throw new TrackingException("cannot " + what + " at " + uri + ": " + rootCause(e), true, e);
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
