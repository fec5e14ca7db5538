package io.ablate.experiment.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.spi.task.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a metric is better higher or lower: the one lookup summaries, plots, winners and the HTML
 * report use. Directions come from the tasks' declarations ({@link io.ablate.spi.task.Task#metrics()}),
 * gathered when a study is validated and kept in {@code results/<study>/metrics.json} for
 * {@code ablate report}; an undeclared metric falls back to its name.
 */
public final class MetricDirections {
  public static final String FILE = "metrics.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Metrics the framework itself logs. */
  private static final Map<String, Boolean> FRAMEWORK = Map.of("train_loss", false, "accuracy", true, "macro_f1",
      true, "grad_norm", false, "tokens_per_s", true);
  private static final Map<String, Boolean> DECLARED = new ConcurrentHashMap<>(FRAMEWORK);

  private MetricDirections() {}

  /** Records the tasks' declarations (a later declaration of the same name wins). */
  public static void declare(Collection<Metric> metrics) {
    metrics.forEach(m -> DECLARED.put(m.name(), m.higherIsBetter()));
  }

  /** Whether smaller values of {@code metric} (or of its per-length form {@code name@len=N}, or
   * its validation form {@code val/name}) are better. */
  public static boolean lowerIsBetter(String metric) {
    String base = Metric.baseName(metric);
    Boolean higher = DECLARED.get(base);
    if (higher != null) {
      return !higher;
    }
    String m = base.toLowerCase(Locale.ROOT);
    return m.contains("loss") || m.contains("perplexity") || m.contains("bits_per") || m.contains("error");
  }

  /**
   * Diagnostics that describe a run rather than grade it (attention entropy, the step {@code select: best}
   * chose): summarised per variant like any metric, but never a winner, never the primary metric, and
   * shown without a direction.
   */
  public static boolean diagnostic(String metric) {
    String base = Metric.baseName(metric);
    return base.equals("selected_step") || base.equals(io.ablate.experiment.run.AttentionEntropy.METRIC)
        || base.startsWith(io.ablate.experiment.run.AttentionEntropy.METRIC + "/");
  }

  /** Writes every known direction ({@code name → higher_is_better}) into a study folder. */
  public static void write(Path studyDir) throws IOException {
    Files.createDirectories(studyDir);
    JSON.writerWithDefaultPrettyPrinter().writeValue(studyDir.resolve(FILE).toFile(), new TreeMap<>(DECLARED));
  }

  /** Reads a study folder's directions, if it has them; a corrupt file is said and ignored. */
  public static void read(Path studyDir) {
    Path file = studyDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      DECLARED.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, Boolean>>() { }));
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(MetricDirections.class).warn("{} is unreadable ({}); metric directions "
          + "are guessed from their names", file, io.ablate.experiment.run.RunDirectory.firstLine(e.getMessage()));
    }
  }
}
