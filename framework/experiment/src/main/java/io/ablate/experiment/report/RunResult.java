package io.ablate.experiment.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.ablate.experiment.run.AttentionSample;
import io.ablate.experiment.run.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One run as found on disk: its {@code run.json}, its metric history and, when the model's
 * attention was captured, its {@code attention.json}.
 *
 * @param dir the run directory ({@code results/<study>/runs/<id>-<hash8>/})
 * @param attention the attention file, or null
 */
public record RunResult(Path dir, RunRecord record, MetricHistory history, Path attention) {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The run in {@code dir}, or empty when it has no readable {@code run.json} (never started, or torn). */
  public static Optional<RunResult> load(Path dir) {
    Path file = dir.resolve("run.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    RunRecord record;
    try {
      record = JSON.readValue(file.toFile(), RunRecord.class);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(RunResult.class).warn("{} is unreadable ({}); that run is left out of the "
          + "report (`ablate run` trains it again)", file, io.ablate.experiment.run.RunDirectory.firstLine(e.getMessage()));
      return Optional.empty();
    }
    Path attention = dir.resolve(AttentionSample.FILE);
    return Optional.of(new RunResult(dir, record, MetricHistory.read(dir.resolve("metrics.jsonl")),
        Files.isRegularFile(attention) ? attention : null));
  }

  public String variant() {
    return record.variant();
  }

  public boolean finished() {
    return record.finished();
  }
}
