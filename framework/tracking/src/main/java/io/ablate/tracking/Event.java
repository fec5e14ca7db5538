package io.ablate.tracking;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * One line of the outbox. Runs are named by their {@code key} (stable across attempts); the store's
 * run id is resolved at delivery.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Event.StartRun.class, name = "start"),
    @JsonSubTypes.Type(value = Event.Log.class, name = "log"),
    @JsonSubTypes.Type(value = Event.Artifact.class, name = "artifact"),
    @JsonSubTypes.Type(value = Event.EndRun.class, name = "end")})
public sealed interface Event {
  String run();

  /** Creates the run, or re-attaches to it (status back to RUNNING) when the store has it already. */
  record StartRun(String run, String experiment, String parent, String name, long time, Map<String, String> tags)
      implements Event {}

  /** Metrics, params and tags of one run. */
  record Log(String run, List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags)
      implements Event {
    public Log {
      metrics = metrics == null ? List.of() : metrics;
      params = params == null ? Map.of() : params;
      tags = tags == null ? Map.of() : tags;
    }
  }

  /** A local file to store as the artifact {@code dir/<file name>}. */
  record Artifact(String run, String dir, String file) implements Event {}

  record EndRun(String run, RunStatus status, long time) implements Event {}
}
