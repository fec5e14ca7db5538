package io.ablate.experiment.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.ablate.tracking.RunStatus;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * What a run directory's {@code run.json} holds: identity, resolved config, provenance, outcome.
 *
 * @param gitCommit the git commit of the code that trained it (null: unknown, e.g. built outside git)
 * @param gitDirty whether that code had uncommitted changes (null: unknown)
 * @param status running, finished or failed; written in lower case ({@code "finished"})
 * @param failure why a failed run failed (with the step), else null
 * @param metrics the last value of every metric
 */
public record RunRecord(
    String study, String run, String variant, Map<String, Object> factors, long seed, String hash,
    String codeVersion, String gitCommit, Boolean gitDirty, Map<String, String> pluginVersions,
    Map<String, Object> config,
    @JsonSerialize(using = LowerCase.class) @JsonDeserialize(using = FromLowerCase.class) RunStatus status,
    String failure, Long failedStep, long parameters, double flopsPerToken, String backend, double wallSeconds,
    double tokensPerSecond, long steps, Map<String, Double> metrics, String started, String ended) {

  public static final RunStatus RUNNING = RunStatus.RUNNING;
  public static final RunStatus FINISHED = RunStatus.FINISHED;
  public static final RunStatus FAILED = RunStatus.FAILED;

  /** The same run reported under another variant name (a tuned trial shown as its variant). */
  public RunRecord withVariant(String name) {
    return new RunRecord(study, run, name, factors, seed, hash, codeVersion, gitCommit, gitDirty, pluginVersions,
        config, status, failure, failedStep, parameters, flopsPerToken, backend, wallSeconds, tokensPerSecond, steps,
        metrics, started, ended);
  }

  public boolean finished() {
    return status == RunStatus.FINISHED;
  }

  public boolean done() {
    return status == RunStatus.FINISHED || status == RunStatus.FAILED;
  }

  /** {@code finished}: the status as run.json, plan and reports write it. */
  public static String label(RunStatus status) {
    return status == null ? "" : status.name().toLowerCase(Locale.ROOT);
  }

  static final class LowerCase extends JsonSerializer<RunStatus> {
    @Override
    public void serialize(RunStatus value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(label(value));
    }
  }

  static final class FromLowerCase extends JsonDeserializer<RunStatus> {
    @Override
    public RunStatus deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      try {
        return RunStatus.valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unknown run status '" + text + "'");
      }
    }
  }
}
