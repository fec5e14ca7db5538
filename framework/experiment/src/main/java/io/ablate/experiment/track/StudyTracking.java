package io.ablate.experiment.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.experiment.report.MetricHistory;
import io.ablate.experiment.report.Summary;
import io.ablate.experiment.report.VariantStats;
import io.ablate.experiment.run.AttentionSample;
import io.ablate.experiment.run.RunDirectory;
import io.ablate.experiment.run.RunKeys;
import io.ablate.experiment.run.RunListener;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.spec.ConfigPaths;
import io.ablate.experiment.spec.Variant;
import io.ablate.tracking.RunStatus;
import io.ablate.tracking.Tracker;
import io.ablate.tracking.TrackingStore;
import io.ablate.tracking.TrackingUri;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Logs a study to MLflow: the study is an experiment, each variant a parent run, each seed a child
 * run ({@code mlflow.parentRunId}) with the flattened resolved config as params, provenance as
 * tags, every metric with its step, and its files as artifacts; the variant's statistics across
 * seeds go on its parent run when the study ends. Events go through the study's outbox
 * ({@code results/<study>/tracking/}), so training never waits for the server.
 */
public final class StudyTracking implements RunListener, AutoCloseable {
  /** The outbox folder inside a study's results folder. */
  public static final String DIR = "tracking";
  /** Tags that {@code ablate compare} and {@code ablate report --tracking-uri} read back. */
  static final String STUDY = "ablate.study";
  static final String VARIANT = "ablate.variant";
  /** The variant's config key (resolved config and code version): one parent run each. */
  static final String VARIANT_KEY = "ablate.variant_key";
  static final String VARIANT_INDEX = "ablate.variant_index";
  static final String BASELINE = "ablate.baseline";
  static final String METRICS = "ablate.metrics";
  static final String SEED = "ablate.seed";
  static final String FAILURE = "ablate.failure";
  static final String GIT_COMMIT = "ablate.git_commit";
  static final String GIT_DIRTY = "ablate.git_dirty";
  /** The run's record, as an artifact: {@code ablate report --tracking-uri} rebuilds the results folder from it. */
  static final String RECORD_ARTIFACT = "run.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StudyPlan plan;
  private final Tracker tracker;
  private final String experiment;
  private final Set<String> startedHere = new HashSet<>();
  private final Set<String> open = new LinkedHashSet<>();
  /** Nanoseconds each run's training thread spent handing metrics to the tracker: the logging overhead. */
  private final Map<String, Long> spent = new java.util.concurrent.ConcurrentHashMap<>();
  private final Thread onInterrupt = new Thread(this::interrupted, "ablate-tracking-shutdown");

  private StudyTracking(StudyPlan plan, Tracker tracker, String experiment) {
    this.plan = plan;
    this.tracker = tracker;
    this.experiment = experiment;
    Runtime.getRuntime().addShutdownHook(onInterrupt);
  }

  /**
   * Tracking for a study, or empty when the URI is {@code none}.
   *
   * @param uri the command line's {@code --tracking-uri}, or null for the spec's, else
   *     {@code MLFLOW_TRACKING_URI}, else the local store {@code mlruns/}
   * @param experiment the command line's {@code --experiment}, or null for the spec's, else the study name
   */
  public static Optional<StudyTracking> open(StudyPlan plan, String uri, String experiment, Path defaultStore) {
    return open(plan, uri, experiment, defaultStore, plan.dir().resolve(DIR));
  }

  /**
   * {@link #open(StudyPlan, String, String, Path)} with the outbox in {@code outbox}: one per cell when cells
   * of a study run in several processes at once ({@link #cellOutbox}), as an outbox has one writer.
   */
  public static Optional<StudyTracking> open(StudyPlan plan, String uri, String experiment, Path defaultStore,
      Path outbox) {
    String given = uri != null ? uri : plan.spec().tracking().uri();
    String resolved = TrackingUri.resolve(given);
    if (resolved.equals(TrackingUri.DEFAULT) && defaultStore != null) {
      resolved = defaultStore.toString();
    }
    Optional<TrackingStore> store = TrackingUri.open(resolved);
    if (store.isEmpty()) {
      return Optional.empty();
    }
    String name = experiment != null ? experiment
        : plan.spec().tracking().experiment() != null ? plan.spec().tracking().experiment() : plan.spec().study();
    return Optional.of(new StudyTracking(plan, Tracker.open(outbox, store.get()), name));
  }

  /** The outbox of one cell run by {@code ablate run-cell}: {@code tracking/cells/<cell>/}. */
  public static Path cellOutbox(StudyPlan plan, RunSpec run) {
    return plan.dir().resolve(DIR).resolve("cells").resolve(plan.directory(run).path().getFileName().toString());
  }

  /**
   * Starts every variant's parent run now, before cells start on other machines, so that they all find
   * it by its key tag instead of racing to create it.
   */
  public void startVariants() {
    plan.variants().forEach(this::startParent);
  }

  /**
   * A cell retried on another machine re-attaches to its run (found by its key tag when delivered) and
   * logs only the steps after {@code lastSteps} (see {@link MlflowCells#loggedSteps}).
   */
  public void resume(RunSpec run, Map<String, Long> lastSteps) {
    tracker.loggedBefore(run.hash(), lastSteps);
  }

  /**
   * The study could not run (e.g. the engine refused it before any cell trained): every variant's parent run
   * is ended FAILED with the reason as its {@code ablate.failure} tag, not left RUNNING. A later
   * submission re-attaches to them.
   */
  public void failVariants(String reason) {
    for (Variant variant : plan.variants()) {
      startParent(variant);
      String key = parentKey(variant);
      tracker.log(key, Map.of(), Map.of(FAILURE, reason.length() > 4000 ? reason.substring(0, 4000) : reason));
      tracker.endRun(key, RunStatus.FAILED);
      synchronized (this) {
        open.remove(key);
      }
    }
  }

  public String destination() {
    return tracker.destination();
  }

  public String experiment() {
    return experiment;
  }

  @Override
  public void started(RunSpec run, int totalSteps) {
    startChild(run);
  }

  @Override
  public void metric(RunSpec run, long step, String name, double value) {
    long t0 = System.nanoTime();
    tracker.metric(run.hash(), name, value, step);
    spent.merge(run.hash(), System.nanoTime() - t0, Long::sum);
  }

  @Override
  public void evaluated(RunSpec run, int step, Map<String, Double> metrics) {
    tracker.flush();
  }

  @Override
  public void ended(RunSpec run, RunRecord record) {
    if (record == null) {
      return;
    }
    String key = run.hash();
    synchronized (this) {
      if (!startedHere.contains(key)) {
        if (tracker.endStatus(key) != null) {
          return;                                // done in an earlier attempt and tracked then
        }
        replayHistory(run);                      // done before tracking was on: log it now, from its files
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("ablate.code_version", record.codeVersion());
    if (record.gitCommit() != null) {
      tags.put(GIT_COMMIT, record.gitCommit());
      tags.put(GIT_DIRTY, String.valueOf(Boolean.TRUE.equals(record.gitDirty())));
    }
    tags.put("ablate.backend", record.backend());
    record.pluginVersions().forEach((plugin, version) -> tags.put("ablate.plugin." + plugin, version));
    tags.put("ablate.parameters", Long.toString(record.parameters()));
    tags.put("ablate.flops_per_token", Double.toString(record.flopsPerToken()));
    tags.put("ablate.wall_seconds", String.format(java.util.Locale.ROOT, "%.1f", record.wallSeconds()));
    long loggingNanos = spent.getOrDefault(key, 0L);
    tags.put("ablate.tracking_overhead", String.format(java.util.Locale.ROOT, "%.4f%% (%.1f ms of %.1f s)",
        100 * loggingNanos / 1e9 / Math.max(record.wallSeconds(), 1e-9), loggingNanos / 1e6, record.wallSeconds()));
    if (record.failure() != null) {
      tags.put(FAILURE, record.failure() + (record.failedStep() == null ? "" : " (step " + record.failedStep() + ")"));
    }
    tracker.log(key, Map.of(), tags);
    RunDirectory dir = plan.directory(run);
    for (String file : List.of("run.json", "config.json", "tokenizer.txt", "model.ckpt", AttentionSample.FILE)) {
      if (Files.isRegularFile(dir.file(file))) {
        tracker.artifact(key, "", dir.file(file));
      }
    }
    tracker.endRun(key, record.finished() ? RunStatus.FINISHED : RunStatus.FAILED);
    synchronized (this) {
      open.remove(key);
    }
  }

  private synchronized void startChild(RunSpec run) {
    String key = run.hash();
    if (!startedHere.add(key)) {
      return;
    }
    startParent(run.variant());
    Map<String, String> tags = new LinkedHashMap<>(variantTags(run.variant()));
    tags.put(SEED, Long.toString(run.seed()));
    tags.put("ablate.config_hash", run.hash());
    tags.put("ablate.run", run.id());
    tracker.startRun(key, experiment, parentKey(run.variant()),
        run.variant().name() + " seed " + run.seed() + configSuffix(run.variant()), tags);
    tracker.log(key, params(run.config()), Map.of());
    open.add(key);
  }

  private synchronized void startParent(Variant variant) {
    String key = parentKey(variant);
    if (!startedHere.add(key)) {
      return;
    }
    Map<String, String> tags = new LinkedHashMap<>(variantTags(variant));
    tags.put(VARIANT_INDEX, Integer.toString(plan.variants().indexOf(variant)));
    tags.put(BASELINE, Boolean.toString(variant.name().equals(plan.baseline().name())));
    tags.put(METRICS, String.join(",", plan.spec().metrics()));
    tags.put("ablate.seeds", plan.spec().seeds().toString());
    tags.put("ablate.code_version", RunKeys.codeVersion());
    if (!plan.spec().description().isEmpty()) {
      tags.put("mlflow.note.content", plan.spec().description());
    }
    tracker.startRun(key, experiment, null, variant.name() + configSuffix(variant), tags);
    tracker.log(key, params(variant.config()), Map.of());
    open.add(key);
  }

  private Map<String, String> variantTags(Variant variant) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(STUDY, plan.spec().study());
    tags.put(VARIANT, variant.name());
    tags.put(VARIANT_KEY, parentKey(variant));
    variant.factors().forEach((factor, level) -> tags.put("ablate.factor." + factor, String.valueOf(level)));
    tags.put("ablate.host", host());
    tags.put("mlflow.source.name", "ablate");
    return tags;
  }

  /**
   * The end of a run's name in MLflow: the first hex digits of its variant's config key, so that
   * the same variant trained with other settings (40 steps, then 150) never looks alike there.
   */
  private String configSuffix(Variant variant) {
    return " (config " + parentKey(variant).substring("variant-".length(), "variant-".length() + 8) + ")";
  }

  private String parentKey(Variant variant) {
    return RunKeys.variantKey(plan.spec().study(), variant);
  }

  /** A run finished before tracking was on (or before this store was used): its history from its files. */
  private void replayHistory(RunSpec run) {
    startChild(run);
    MetricHistory history = MetricHistory.read(plan.directory(run).file("metrics.jsonl"));
    for (String name : history.names()) {
      MetricHistory.Series series = history.get(name);
      for (int i = 0; i < series.size(); i++) {
        tracker.metric(run.hash(), name, series.values()[i], series.steps()[i]);
      }
    }
  }

  /** The summary row a parent run carries: its own, or with {@code tune:} its variant's if it is the chosen trial. */
  private static String represented(Summary summary, String name) {
    if (!io.ablate.experiment.run.Tuning.isTrial(name)) {
      return name;
    }
    String variant = io.ablate.experiment.run.Tuning.variant(name);
    return io.ablate.experiment.run.Tuning.setting(name).equals(summary.tuning().chosen().get(variant)) ? variant
        : null;
  }

  /**
   * The study is over: each variant's statistics across seeds of the declared metrics on its parent run (as
   * metrics {@code <metric>/mean|std|ci95|diff|p_value|p_adjusted|effect_size_dz}), the study's files as
   * artifacts under {@code study/},
   * and the parent runs finished.
   */
  public void finish(Summary summary, List<Path> studyFiles) {
    for (Variant variant : plan.variants()) {
      startParent(variant);
      String key = parentKey(variant);
      List<String> won = new java.util.ArrayList<>();
      String represents = represented(summary, variant.name());
      for (VariantStats s : summary.stats()) {
        if (!s.variant().equals(represents) || !aggregated(summary, s.metric())) {
          continue;
        }
        long step = 0;
        tracker.metric(key, s.metric() + "/mean", s.mean(), step);
        tracker.metric(key, s.metric() + "/std", s.std(), step);
        tracker.metric(key, s.metric() + "/ci95", s.ci95(), step);
        tracker.metric(key, s.metric() + "/diff", s.diff(), step);
        if (Double.isFinite(s.pValue())) {
          tracker.metric(key, s.metric() + "/p_value", s.pValue(), step);
          tracker.metric(key, s.metric() + "/p_adjusted", s.pAdjusted(), step);
          tracker.metric(key, s.metric() + "/effect_size_dz", s.effectSize(), step);
        }
        tracker.metric(key, s.metric() + "/n", s.n(), step);
        if (s.winner()) {
          won.add(s.metric());
        }
      }
      tracker.log(key, Map.of(), Map.of("ablate.wins", String.join(",", won)));
      for (Path file : studyFiles) {
        if (Files.isRegularFile(file)) {
          tracker.artifact(key, "study", file);
        }
      }
      if (plan.spec().file() != null && Files.isRegularFile(plan.spec().file())) {
        tracker.artifact(key, "study", plan.spec().file());
      }
      tracker.endRun(key, RunStatus.FINISHED);
      synchronized (this) {
        open.remove(key);
      }
    }
  }

  /**
   * Whether a metric's statistics go on the parent run: the study's declared {@code metrics:} (all
   * but per-length ones when it declares none), so MLflow's chart view is not flooded with a
   * hundred-odd keys; the rest stays in the seed runs and the study's files.
   */
  private static boolean aggregated(Summary summary, String metric) {
    return summary.requested().isEmpty() ? !metric.contains("@") : summary.requested().contains(metric);
  }

  /** Ctrl-C or a kill: runs still open are marked KILLED (a later resume re-attaches to them). */
  private void interrupted() {
    List<String> still;
    synchronized (this) {
      still = List.copyOf(open);
      open.clear();
    }
    for (String key : still) {
      tracker.endRun(key, RunStatus.KILLED);
    }
    tracker.close(Duration.ofSeconds(still.isEmpty() ? 0 : 3));
  }

  /** Waits for delivery (bounded); true when everything reached the store. */
  public boolean close(Duration wait) {
    try {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs
    }
    return tracker.close(wait);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  static Map<String, String> params(Map<String, Object> config) {
    Map<String, String> params = new LinkedHashMap<>();
    ConfigPaths.flatten(config).forEach((path, value) -> params.put(path, text(value)));
    return params;
  }

  private static String text(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
