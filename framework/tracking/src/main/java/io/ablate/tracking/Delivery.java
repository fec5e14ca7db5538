package io.ablate.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an outbox's undelivered events to one store, in order, and records progress after each
 * request. Consecutive logs of one run go out as log-batch requests within MLflow's limits.
 *
 * <p>No duplicates: a run is created only when neither the saved state nor the store (by its
 * {@link TrackingStore#KEY_TAG} tag) knows it; a batch resent after a lost reply repeats identical
 * metric points, which MLflow's SQL store keeps once. A request the store refuses for good (a
 * 4xx) is written to {@code rejected.jsonl} with the reason and skipped; a retryable failure
 * stops delivery with progress saved, to be resumed by the next call.
 */
public final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int READ_AHEAD = 20_000;

  private final Path outboxDir;
  private final TrackingStore store;
  private final DeliveryState state;

  public Delivery(Path outboxDir, TrackingStore store) {
    this.outboxDir = outboxDir;
    this.store = store;
    this.state = DeliveryState.load(outboxDir, store.describe());
  }

  public TrackingStore store() {
    return store;
  }

  /** Bytes of the outbox not yet delivered. */
  public long pendingBytes() {
    try {
      Path file = outboxDir.resolve(Outbox.FILE);
      return Files.isRegularFile(file) ? Math.max(0, Files.size(file) - state.offset()) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  public long rejected() {
    return state.rejected();
  }

  /**
   * Delivers everything complete in the outbox now.
   *
   * @return the number of events delivered (or set aside as rejected)
   * @throws TrackingException (retryable) when the store is away; progress so far is saved
   */
  public int deliverPending() {
    int delivered = 0;
    while (true) {
      List<Outbox.Entry> entries = Outbox.read(outboxDir.resolve(Outbox.FILE), state.offset(), READ_AHEAD);
      if (entries.isEmpty()) {
        return delivered;
      }
      int i = 0;
      while (i < entries.size()) {
        int next = nextGroup(entries, i);
        try {
          send(entries.subList(i, next));
        } catch (TrackingException e) {
          if (e.retryable()) {
            throw e;
          }
          reject(entries.subList(i, next), e.getMessage());
        }
        state.advance(entries.get(next - 1).end());
        state.save();
        delivered += next - i;
        i = next;
      }
    }
  }

  /** The end (exclusive) of the group starting at {@code i}: consecutive logs of one run, or one event. */
  private static int nextGroup(List<Outbox.Entry> entries, int i) {
    Event first = entries.get(i).event();
    if (!(first instanceof Event.Log)) {
      return i + 1;
    }
    int j = i + 1;
    int points = ((Event.Log) first).metrics().size();
    while (j < entries.size() && entries.get(j).event() instanceof Event.Log log && log.run().equals(first.run())
        && points + log.metrics().size() <= MlflowNames.MAX_ENTITIES_PER_BATCH * 10) {
      points += log.metrics().size();
      j++;
    }
    return j;
  }

  private void send(List<Outbox.Entry> group) {
    Event first = group.get(0).event();
    if (first == null) {
      return;                                              // an unreadable (torn) line
    }
    if (first instanceof Event.StartRun start) {
      start(start);
    } else if (first instanceof Event.Log) {
      log(group);
    } else if (first instanceof Event.Artifact artifact) {
      Path file = Path.of(artifact.file());
      if (Files.isRegularFile(file)) {
        store.uploadArtifact(runId(artifact.run()), artifact.dir(), file);
      } else {
        LOG.warn("artifact {} of run {} no longer exists; not uploaded", file, artifact.run());
      }
    } else if (first instanceof Event.EndRun end) {
      store.setStatus(runId(end.run()), end.status(), end.time());
    }
  }

  private void start(Event.StartRun start) {
    String experiment = state.experiment(start.experiment());
    if (experiment == null) {
      experiment = store.experiment(start.experiment());
      state.experiment(start.experiment(), experiment);
    }
    Map<String, String> tags = new LinkedHashMap<>(start.tags());
    tags.put(TrackingStore.KEY_TAG, start.run());
    if (start.parent() != null) {
      tags.put("mlflow.parentRunId", runId(start.parent()));
    }
    tags = MlflowNames.tags(tags);
    String id = state.run(start.run());
    if (id == null) {
      id = store.findRun(experiment, start.run()).orElse(null);
    }
    if (id == null) {
      id = store.createRun(experiment, start.name(), start.time(), tags);
    } else {
      store.setStatus(id, RunStatus.RUNNING, null);          // a resumed run: re-attach
      store.logBatch(id, List.of(), Map.of(), tags);
    }
    state.run(start.run(), id);
  }

  private void log(List<Outbox.Entry> group) {
    String runId = runId(group.get(0).event().run());
    List<MetricPoint> metrics = new ArrayList<>();
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, String> tags = new LinkedHashMap<>();
    for (Outbox.Entry e : group) {
      Event.Log log = (Event.Log) e.event();
      metrics.addAll(log.metrics());
      params.putAll(log.params());
      tags.putAll(log.tags());
    }
    for (LogBatch batch : LogBatch.split(metrics, MlflowNames.params(params), MlflowNames.tags(tags))) {
      store.logBatch(runId, batch.metrics(), batch.params(), batch.tags());
    }
  }

  private String runId(String key) {
    String id = state.run(key);
    if (id == null) {
      throw new TrackingException("run " + key + " was never created in " + store.describe(), false);
    }
    return id;
  }

  private void reject(List<Outbox.Entry> group, String reason) {
    LOG.warn("{} refused {} event(s): {} (kept in {})", store.describe(), group.size(), reason,
        outboxDir.resolve("rejected.jsonl"));
    try {
      StringBuilder lines = new StringBuilder();
      for (Outbox.Entry e : group) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("destination", store.describe());
        line.put("reason", reason);
        line.put("event", e.event());
        lines.append(JSON.writeValueAsString(line)).append('\n');
        state.reject();
      }
      Files.writeString(outboxDir.resolve("rejected.jsonl"), lines, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
