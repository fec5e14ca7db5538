package io.ablate.experiment.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files of one run under {@code results/<study>/runs/<id>-<hash8>/}: {@code run.json} (written
 * atomically), {@code metrics.jsonl} (one line per metric value, appended and flushed), and the
 * run's artifacts (tokenizer, final checkpoint).
 */
public final class RunDirectory {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunDirectory.class);

  private final Path dir;

  public RunDirectory(Path studyDir, RunSpec run) {
    this.dir = studyDir.resolve("runs").resolve(safe(run.id()) + "-" + run.hash().substring(0, 8));
  }

  public Path path() {
    return dir;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  /** The stored record, if this run was started before. */
  public Optional<RunRecord> read() {
    Path f = file("run.json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(f.toFile(), RunRecord.class));
    } catch (IOException e) {               // a torn or foreign file: said, and the run is trained again
      LOG.warn("{} is unreadable ({}); the run counts as not started and is trained again by `ablate run`", f,
          firstLine(e.getMessage()));
      return Optional.empty();
    }
  }

  public void write(RunRecord record) {
    try {
      Files.createDirectories(dir);
      Path tmp = file("run.json." + java.util.UUID.randomUUID() + ".tmp");
      JSON.writeValue(tmp.toFile(), record);
      Files.move(tmp, file("run.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file("run.json"), e);
    }
  }

  /** Starts the metrics log afresh (a restarted run does not keep a partial history). */
  public MetricsLog openMetrics() {
    return openMetrics((step, name, value) -> { });
  }

  /** {@link #openMetrics()}, also passing every value to {@code forward} (a tracker). */
  public MetricsLog openMetrics(MetricSink forward) {
    try {
      Files.createDirectories(dir);
      return new MetricsLog(Files.newBufferedWriter(file("metrics.jsonl"), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), forward);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Receives metric values. */
  @FunctionalInterface
  public interface MetricSink {
    void log(long step, String name, double value);
  }

  /** Appends {@code {"step":…, "name":…, "value":…, "time":…}} lines, flushed per evaluation. */
  public static final class MetricsLog implements AutoCloseable, MetricSink {
    private static final ObjectMapper LINE = new ObjectMapper();

    private final BufferedWriter out;
    private final MetricSink forward;

    MetricsLog(BufferedWriter out, MetricSink forward) {
      this.out = out;
      this.forward = forward;
    }

    @Override
    public synchronized void log(long step, String name, double value) {
      forward.log(step, name, value);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("step", step);
      line.put("name", name);
      line.put("value", Double.isFinite(value) ? value : String.valueOf(value));
      line.put("time", System.currentTimeMillis());
      try {
        out.write(LINE.writeValueAsString(line));
        out.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public synchronized void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The first line of an exception message (Jackson's go on with source excerpts). */
  public static String firstLine(String message) {
    return message == null ? "unknown error" : message.lines().findFirst().orElse("").strip();
  }

  static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9=,._-]", "_");
  }
}
