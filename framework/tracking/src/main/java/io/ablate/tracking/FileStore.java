package io.ablate.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A local tracking store in MLflow's file-store layout, which the real MLflow opens as it is
 * ({@code mlflow ui --backend-store-uri ./mlruns}; MLflow 3 asks for {@code MLFLOW_ALLOW_FILE_STORE=true}):
 *
 * <pre>
 * root/&lt;experiment id&gt;/meta.yaml
 * root/&lt;experiment id&gt;/&lt;run id&gt;/meta.yaml      status as MLflow's integer code
 * root/&lt;experiment id&gt;/&lt;run id&gt;/metrics/&lt;key&gt;   one "timestamp value step" line per value
 * root/&lt;experiment id&gt;/&lt;run id&gt;/params/&lt;key&gt;    the value
 * root/&lt;experiment id&gt;/&lt;run id&gt;/tags/&lt;key&gt;      the value
 * root/&lt;experiment id&gt;/&lt;run id&gt;/artifacts/…
 * </pre>
 */
public final class FileStore implements TrackingStore {
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build());
  private static final String META = "meta.yaml";

  private final Path root;

  public FileStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public String describe() {
    return "file://" + root;           // not Path.toUri(): it appends '/' once the folder exists
  }

  @Override
  public synchronized String experiment(String name) {
    Optional<String> found = findExperiment(name);
    if (found.isPresent()) {
      tagKind(root.resolve(found.get()));
      return found.get();
    }
    ensureDefaultExperiment();
    for (int id = 1; ; id++) {
      Path dir = root.resolve(Integer.toString(id));
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        continue;                                   // taken, possibly by another process just now
      } catch (IOException e) {
        throw failure("cannot create experiment folder " + dir, e);
      }
      writeExperimentMeta(dir, Integer.toString(id), name);
      tagKind(dir);
      return Integer.toString(id);
    }
  }

  /** The experiment's {@link #EXPERIMENT_KIND_TAG} (MLflow keeps experiment tags in {@code <id>/tags/}), unless set. */
  private void tagKind(Path experimentDir) {
    Path kind = experimentDir.resolve("tags").resolve(EXPERIMENT_KIND_TAG);
    if (!Files.isRegularFile(kind)) {
      try {
        writeValue(kind, EXPERIMENT_KIND);
      } catch (IOException e) {
        throw failure("cannot tag experiment " + experimentDir, e);
      }
    }
  }

  private void ensureDefaultExperiment() {
    Path dir = root.resolve("0");
    if (!Files.isRegularFile(dir.resolve(META))) {
      try {
        Files.createDirectories(dir);
        Files.createDirectories(root.resolve(".trash"));
      } catch (IOException e) {
        throw failure("cannot create " + dir, e);
      }
      writeExperimentMeta(dir, "0", "Default");
    }
  }

  private void writeExperimentMeta(Path dir, String id, String name) {
    long now = System.currentTimeMillis();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("artifact_location", dir.toUri().toString().replaceAll("/$", ""));
    meta.put("creation_time", now);
    meta.put("experiment_id", id);
    meta.put("last_update_time", now);
    meta.put("lifecycle_stage", "active");
    meta.put("name", name);
    writeYaml(dir.resolve(META), meta);
  }

  @Override
  public Optional<String> findExperiment(String name) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve(META)))
          .map(d -> readYaml(d.resolve(META)))
          .filter(m -> name.equals(String.valueOf(m.get("name"))) && "active".equals(m.get("lifecycle_stage")))
          .map(m -> String.valueOf(m.get("experiment_id")))
          .findFirst();
    } catch (IOException e) {
      throw failure("cannot list " + root, e);
    }
  }

  @Override
  public Optional<String> findRun(String experimentId, String key) {
    return runDirs(experimentId).stream()
        .filter(d -> key.equals(readText(d.resolve("tags").resolve(KEY_TAG))))
        .map(d -> d.getFileName().toString())
        .findFirst();
  }

  @Override
  public synchronized String createRun(String experimentId, String name, long startTime, Map<String, String> tags) {
    String id = UUID.randomUUID().toString().replace("-", "");
    Path dir = root.resolve(experimentId).resolve(id);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("artifact_uri", dir.resolve("artifacts").toUri().toString().replaceAll("/$", ""));
    meta.put("deleted_time", null);
    meta.put("end_time", null);
    meta.put("entry_point_name", "");
    meta.put("experiment_id", experimentId);
    meta.put("lifecycle_stage", "active");
    meta.put("run_id", id);
    meta.put("run_name", name);
    meta.put("run_uuid", id);
    meta.put("source_name", "");
    meta.put("source_type", 4);
    meta.put("source_version", "");
    meta.put("start_time", startTime);
    meta.put("status", RunStatus.RUNNING.fileStoreCode());
    meta.put("tags", List.of());
    meta.put("user_id", System.getProperty("user.name", "ablate"));
    try {
      for (String sub : List.of("metrics", "params", "tags", "artifacts")) {
        Files.createDirectories(dir.resolve(sub));
      }
    } catch (IOException e) {
      throw failure("cannot create run folder " + dir, e);
    }
    Map<String, String> all = new LinkedHashMap<>(tags);
    all.put("mlflow.runName", name);
    writeYaml(dir.resolve(META), meta);
    logBatch(id, List.of(), Map.of(), all);
    return id;
  }

  @Override
  public synchronized void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params,
      Map<String, String> tags) {
    Path dir = runDir(runId);
    try {
      Map<String, StringBuilder> lines = new LinkedHashMap<>();
      for (MetricPoint m : metrics) {
        lines.computeIfAbsent(m.key(), k -> new StringBuilder())
            .append(m.timestamp()).append(' ').append(number(m.value())).append(' ').append(m.step()).append('\n');
      }
      for (Map.Entry<String, StringBuilder> e : lines.entrySet()) {
        Path file = safeChild(dir.resolve("metrics"), e.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      for (Map.Entry<String, String> e : params.entrySet()) {
        writeValue(safeChild(dir.resolve("params"), e.getKey()), e.getValue());
      }
      for (Map.Entry<String, String> e : tags.entrySet()) {
        writeValue(safeChild(dir.resolve("tags"), e.getKey()), e.getValue());
      }
    } catch (IOException e) {
      throw failure("cannot write to run " + dir, e);
    }
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Double.toString(v);
  }

  @Override
  public synchronized void setStatus(String runId, RunStatus status, Long endTime) {
    Path meta = runDir(runId).resolve(META);
    Map<String, Object> m = readYaml(meta);
    m.put("status", status.fileStoreCode());
    m.put("end_time", status.terminal() ? endTime : null);
    writeYaml(meta, m);
  }

  @Override
  public void uploadArtifact(String runId, String dir, Path file) {
    Path target = safeChild(runDir(runId).resolve("artifacts"), dir.isEmpty() ? file.getFileName().toString()
        : dir + "/" + file.getFileName());
    try {
      Files.createDirectories(target.getParent());
      Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw failure("cannot copy " + file + " to " + target, e);
    }
  }

  @Override
  public List<StoredRun> runs(String experimentId) {
    List<StoredRun> out = new ArrayList<>();
    for (Path d : runDirs(experimentId)) {
      Map<String, Object> meta = readYaml(d.resolve(META));
      Map<String, Double> latest = new LinkedHashMap<>();
      for (Map.Entry<String, Path> e : files(d.resolve("metrics")).entrySet()) {
        historyOf(e.getKey(), e.getValue()).stream()
            .max(Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestamp)
                .thenComparingDouble(MetricPoint::value))
            .ifPresent(m -> latest.put(e.getKey(), m.value()));
      }
      Object end = meta.get("end_time");
      out.add(new StoredRun(d.getFileName().toString(), experimentId, String.valueOf(meta.get("run_name")),
          RunStatus.ofFileStoreCode(((Number) meta.get("status")).intValue()),
          ((Number) meta.get("start_time")).longValue(), end == null ? null : ((Number) end).longValue(),
          values(d.resolve("tags")), values(d.resolve("params")), latest));
    }
    return out;
  }

  @Override
  public List<MetricPoint> history(String runId, String key) {
    return historyOf(key, safeChild(runDir(runId).resolve("metrics"), key));
  }

  @Override
  public void downloadArtifact(String runId, String path, Path target) {
    if (!Files.isRegularFile(safeChild(runDir(runId).resolve("artifacts"), path))) {
      throw new TrackingException("no artifact " + path + " in run " + runId, false);
    }
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.copy(safeChild(runDir(runId).resolve("artifacts"), path), target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw failure("no artifact " + path + " in run " + runId, e);
    }
  }

  private static List<MetricPoint> historyOf(String key, Path file) {
    List<MetricPoint> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.trim().split(" ");
        if (f.length >= 2) {
          out.add(new MetricPoint(key, Double.parseDouble(f[1].replace("inf", "Infinity").replace("nan", "NaN")),
              Long.parseLong(f[0]), f.length > 2 ? Long.parseLong(f[2]) : 0));
        }
      }
    } catch (IOException e) {
      throw failure("cannot read " + file, e);
    }
    return out;
  }

  private List<Path> runDirs(String experimentId) {
    Path exp = root.resolve(experimentId);
    if (!Files.isDirectory(exp)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(exp)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve(META)))
          .filter(d -> "active".equals(readYaml(d.resolve(META)).get("lifecycle_stage")))
          .sorted().toList();
    } catch (IOException e) {
      throw failure("cannot list " + exp, e);
    }
  }

  private Path runDir(String runId) {
    if (!runId.matches("[0-9a-f]{32}")) {
      throw new TrackingException("not a run id: " + runId, false);
    }
    try (Stream<Path> exps = Files.list(root)) {
      return exps.map(e -> e.resolve(runId)).filter(Files::isDirectory).findFirst()
          .orElseThrow(() -> new TrackingException("no run " + runId + " in " + root, false));
    } catch (IOException e) {
      throw failure("cannot list " + root, e);
    }
  }

  /** Files under {@code dir}, keyed by their path relative to it with '/' separators. */
  private static Map<String, Path> files(Path dir) {
    Map<String, Path> out = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.filter(Files::isRegularFile).sorted()
          .forEach(f -> out.put(dir.relativize(f).toString().replace('\\', '/'), f));
    } catch (IOException e) {
      throw failure("cannot list " + dir, e);
    }
    return out;
  }

  private static Map<String, String> values(Path dir) {
    Map<String, String> out = new LinkedHashMap<>();
    files(dir).forEach((k, f) -> out.put(k, readText(f)));
    return out;
  }

  private static Path safeChild(Path dir, String relative) {
    Path p = dir.resolve(relative).normalize();
    if (!p.startsWith(dir) || p.equals(dir)) {
      throw new TrackingException("not a valid name: '" + relative + "'", false);
    }
    return p;
  }

  private static void writeValue(Path file, String value) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, value, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String readText(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      throw failure("cannot read " + file, e);
    }
  }

  private static void writeYaml(Path file, Map<String, Object> content) {
    try {
      writeValue(file, YAML.writeValueAsString(content));
    } catch (IOException e) {
      throw failure("cannot write " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readYaml(Path file) {
    try {
      return new LinkedHashMap<>(YAML.readValue(file.toFile(), Map.class));
    } catch (IOException e) {
      throw failure("cannot read " + file, e);
    }
  }

  private static TrackingException failure(String message, IOException e) {
    return new TrackingException(message + ": " + e, false, e);
  }
}
