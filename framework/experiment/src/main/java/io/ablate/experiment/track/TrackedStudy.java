package io.ablate.experiment.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ablate.experiment.report.StudyInfo;
import io.ablate.experiment.report.Summary;
import io.ablate.experiment.run.AttentionEntropy;
import io.ablate.experiment.run.AttentionSample;
import io.ablate.experiment.run.BestStep;
import io.ablate.experiment.run.RunRecord;
import io.ablate.tracking.MetricPoint;
import io.ablate.tracking.MlflowNames;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.StoredRun;
import io.ablate.tracking.TrackingException;
import io.ablate.tracking.TrackingStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration of a study read back from a tracking store (any: server or local file store),
 * as {@link StudyTracking} logged it: the variants (parent runs, in design order, the baseline
 * marked) and the seed runs under them. An experiment that holds several configurations of a
 * study (the same study re-run with other settings) gives one {@code TrackedStudy} each, grouped
 * by resolved config ({@link ConfigGroups}), never by variant name. {@code ablate compare} prints
 * their {@link #summary()}; {@code ablate report --tracking-uri} rebuilds a results folder from the
 * latest with {@link #materialise}.
 */
public final class TrackedStudy {
  private final TrackingStore store;
  private final String experiment;
  private final List<StoredRun> variants;
  private final List<StoredRun> seeds;
  private final String label;

  private TrackedStudy(TrackingStore store, String experiment, ConfigGroups.Group group) {
    this.store = store;
    this.experiment = experiment;
    this.variants = group.parents();
    this.seeds = group.seeds();
    this.label = group.label();
  }

  /** The latest configuration of the study in the experiment (see {@link #readAll}). */
  public static TrackedStudy read(TrackingStore store, String experiment) {
    return readAll(store, experiment).get(0);
  }

  /** Every configuration of the study logged to the experiment, the most recently run first. */
  public static List<TrackedStudy> readAll(TrackingStore store, String experiment) {
    String id = store.findExperiment(experiment).orElseThrow(() -> new IllegalArgumentException(
        "no experiment '" + experiment + "' in " + store.describe()));
    List<ConfigGroups.Group> groups = ConfigGroups.of(store.runs(id));
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("experiment '" + experiment + "' in " + store.describe()
          + " has no Ablate runs (variant runs with seed runs under them)");
    }
    return groups.stream().map(g -> new TrackedStudy(store, experiment, g)).toList();
  }

  /**
   * What sets this configuration apart from the others in the experiment ({@code train.steps=150}),
   * or "" when the experiment holds only this one.
   */
  public String label() {
    return label;
  }

  public String study() {
    return variants.get(0).tags().getOrDefault(StudyTracking.STUDY, experiment);
  }

  public List<String> variantNames() {
    return variants.stream().map(r -> r.tag(StudyTracking.VARIANT)).distinct().toList();
  }

  public String baseline() {
    return variants.stream().filter(r -> "true".equals(r.tag(StudyTracking.BASELINE)))
        .map(r -> r.tag(StudyTracking.VARIANT)).findFirst().orElse(variantNames().get(0));
  }

  public List<String> metrics() {
    String m = variants.get(0).tags().getOrDefault(StudyTracking.METRICS, "");
    return m.isEmpty() ? List.of() : List.of(m.split(","));
  }

  /** One record per seed run, from its tags, status and latest metrics. */
  public List<RunRecord> records() {
    return seeds.stream().map(this::record).toList();
  }

  public Summary summary() {
    return Summary.of(study(), variantNames(), baseline(), metrics(), records());
  }

  private RunRecord record(StoredRun r) {
    Map<String, Double> latest = new LinkedHashMap<>();
    r.latest().forEach((k, v) -> {
      String name = MlflowNames.ablateMetric(k);
      if (!AttentionEntropy.perHead(name)) {
        latest.put(name, v);                       // as run.json: per-head entropy stays in the history
      }
    });
    Map<String, Double> metrics = latest.containsKey(BestStep.STEP)
        ? atStep(r, latest, latest.get(BestStep.STEP).longValue()) : latest;
    double tokensPerSecond = latest.getOrDefault("tokens_per_s", 0.0);
    metrics.remove("tokens_per_s");                // a property of the run (as in run.json), not a result
    RunStatus status = r.status() == RunStatus.KILLED ? RunStatus.RUNNING : r.status();
    String dirty = r.tags().get(StudyTracking.GIT_DIRTY);
    return new RunRecord(r.tag(StudyTracking.STUDY), r.tags().getOrDefault("ablate.run", r.name()),
        r.tag(StudyTracking.VARIANT), factors(r), Long.parseLong(r.tag(StudyTracking.SEED)),
        r.tags().getOrDefault("ablate.config_hash", r.id()), r.tags().getOrDefault("ablate.code_version", ""),
        r.tags().get(StudyTracking.GIT_COMMIT), dirty == null ? null : Boolean.valueOf(dirty), Map.of(), Map.of(), status, r.tag(StudyTracking.FAILURE), null,
        (long) Double.parseDouble(r.tags().getOrDefault("ablate.parameters", "0")),
        Double.parseDouble(r.tags().getOrDefault("ablate.flops_per_token", "0")),
        r.tags().getOrDefault("ablate.backend", ""),
        Double.parseDouble(r.tags().getOrDefault("ablate.wall_seconds", "0")),
        tokensPerSecond, 0, metrics, Instant.ofEpochMilli(r.startTime()).toString(),
        r.endTime() == null ? null : Instant.ofEpochMilli(r.endTime()).toString());
  }

  /**
   * A {@code select: best} run reports its chosen evaluation, not its latest values: each metric's
   * value logged at {@code step} (metrics without one, e.g. lr, are left out), as in its run.json.
   */
  private Map<String, Double> atStep(StoredRun r, Map<String, Double> latest, long step) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : latest.keySet()) {
      if (name.equals(BestStep.STEP)) {
        out.put(name, latest.get(name));
        continue;
      }
      store.history(r.id(), MlflowNames.metric(name)).stream().filter(p -> p.step() == step)
          .reduce((a, b) -> b).ifPresent(p -> out.put(name, p.value()));
    }
    return out;
  }

  private static Map<String, Object> factors(StoredRun r) {
    Map<String, Object> factors = new LinkedHashMap<>();
    r.tags().forEach((k, v) -> {
      if (k.startsWith("ablate.factor.")) {
        factors.put(k.substring("ablate.factor.".length()), v);
      }
    });
    return factors;
  }

  /**
   * Writes a results folder for {@code ablate report}: {@code study.json}, and per seed run
   * {@code runs/<run>/run.json} (the logged artifact, else rebuilt from tags), {@code metrics.jsonl}
   * from the metric histories, and the attention sample when it was logged.
   */
  public void materialise(Path dir) {
    List<String> names = new ArrayList<>();
    for (StoredRun r : seeds) {
      String name = r.tags().getOrDefault("ablate.run", r.id()) + "-"
          + r.tags().getOrDefault("ablate.config_hash", r.id()).substring(0, 8);
      names.add(name);
      Path runDir = dir.resolve("runs").resolve(name.replaceAll("[^A-Za-z0-9=,._-]", "_"));
      try {
        Files.createDirectories(runDir);
        if (!download(r, StudyTracking.RECORD_ARTIFACT, runDir.resolve("run.json"))) {
          JSON.writeValue(runDir.resolve("run.json").toFile(), record(r));
        }
        download(r, AttentionSample.FILE, runDir.resolve(AttentionSample.FILE));
        writeHistory(store, r, runDir.resolve("metrics.jsonl"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + runDir, e);
      }
    }
    List<Long> seedList = seeds.stream().map(r -> Long.parseLong(r.tag(StudyTracking.SEED))).distinct().toList();
    new StudyInfo(study(), variants.get(0).tags().getOrDefault("mlflow.note.content", ""), variantNames(),
        baseline(), metrics(), seedList, names.stream().map(n -> n.replaceAll("[^A-Za-z0-9=,._-]", "_")).toList())
        .write(dir);
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private boolean download(StoredRun r, String artifact, Path target) {
    try {
      store.downloadArtifact(r.id(), artifact, target);
      return true;
    } catch (TrackingException e) {
      if (e.retryable()) {
        throw e;
      }
      return false;                              // not logged (e.g. no attention sample for this model)
    }
  }

  /** {@code metrics.jsonl} of a run, rebuilt from its metric histories on the store. */
  static void writeHistory(TrackingStore store, StoredRun r, Path file) throws IOException {
    List<MetricPoint> all = new ArrayList<>();
    for (String key : r.latest().keySet()) {
      all.addAll(store.history(r.id(), key));
    }
    all.sort(Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestamp));
    ObjectMapper line = new ObjectMapper();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (MetricPoint m : all) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("step", m.step());
        entry.put("name", MlflowNames.ablateMetric(m.key()));
        entry.put("value", Double.isFinite(m.value()) ? m.value() : String.valueOf(m.value()));
        entry.put("time", m.timestamp());
        out.write(line.writeValueAsString(entry));
        out.newLine();
      }
    }
  }
}
