package io.ablate.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.experiment.run.RunDirectory;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.spec.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a study's results folder as {@code ablate run} leaves it, with the production writers
 * ({@link RunDirectory}, {@link StudyInfo}): the two variants × three seeds of
 * {@code reference/summary_stats.json} (finished, with metric histories and attention captures),
 * plus a failed fourth seed of the second variant and an unstarted fourth seed of the baseline.
 */
final class StudyFixture {
  static final String DESCRIPTION = "Which encoding extrapolates? <script>alert('x')</script> & \"quotes\"";
  static final int STEPS = 50;
  static final int EVAL_EVERY = 10;
  static final String FAILURE = "diverged: loss 93.1 at step 17 exceeds 10.0× the first loss <2.3>";
  static final int HEADS = 2;
  static final int LAYERS = 2;
  static final int T = 6;

  final JsonNode reference;
  final List<String> variants = new ArrayList<>();
  final String baseline;
  final String study;
  final Path dir;

  private StudyFixture(JsonNode reference, Path resultsRoot) {
    this.reference = reference;
    reference.get("variants").forEach(v -> variants.add(v.asText()));
    this.baseline = reference.get("baseline").asText();
    this.study = reference.get("study").asText();
    this.dir = resultsRoot.resolve(study);
  }

  static JsonNode reference() {
    try (InputStream in = StudyFixture.class.getResourceAsStream("/reference/summary_stats.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the study into {@code resultsRoot/<study>/}. */
  static StudyFixture write(Path resultsRoot, boolean withStudyInfo) {
    StudyFixture f = new StudyFixture(reference(), resultsRoot);
    List<String> runNames = new ArrayList<>();
    for (long seed = 1; seed <= 4; seed++) {
      for (String variant : f.variants) {
        RunSpec spec = f.spec(variant, seed);
        RunDirectory dir = new RunDirectory(f.dir, spec);
        runNames.add(dir.path().getFileName().toString());
        if (seed <= 3) {
          f.finished(spec, dir);
        } else if (!variant.equals(f.baseline)) {
          f.failed(spec, dir);
        }
      }
    }
    if (withStudyInfo) {
      new StudyInfo(f.study, DESCRIPTION, f.variants, f.baseline, List.of("exact_match", "loss"),
          List.of(1L, 2L, 3L, 4L), runNames).write(f.dir);
    }
    return f;
  }

  private RunSpec spec(String variant, long seed) {
    String level = variant.substring(variant.indexOf('=') + 1);
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("type", "copy");
    task.put("train_max_length", reference.get("train_max_length").asInt());
    task.put("eval_max_length", 16);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("task", task);
    config.put("model", Map.of("architecture", "decoder", "positional", level));
    Variant v = new Variant(variant, Map.of("model.positional", level), config);
    String hash = String.format("%064x", (long) (variant.hashCode() & 0x7fffffff) * 31 + seed);
    return new RunSpec(study, v, seed, variant + "--seed-" + seed, hash);
  }

  /** The final metrics of a finished run, from the reference file. */
  Map<String, Double> finalMetrics(String variant, long seed) {
    Map<String, Double> out = new LinkedHashMap<>();
    JsonNode m = reference.get("runs").get(variant).get(String.valueOf(seed));
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asDouble());
    }
    return out;
  }

  /** Train loss at a step: decays from 2.5 to the run's final train loss. */
  static double trainLoss(double last, int step) {
    return last + (2.5 - last) * Math.exp(-(step - 1) / 8.0) * (step == STEPS ? 0 : 1);
  }

  private void finished(RunSpec spec, RunDirectory dir) {
    Map<String, Double> last = finalMetrics(spec.variant().name(), spec.seed());
    try (RunDirectory.MetricsLog log = dir.openMetrics()) {
      for (int step = 1; step <= STEPS; step++) {
        log.log(step, "train_loss", trainLoss(last.get("train_loss"), step));
        if (step % 10 == 0 || step == 1) {
          log.log(step, "lr", 1e-3);
          log.log(step, "grad_norm", step == 1 ? Double.NaN : 1.0);
        }
        if (step % EVAL_EVERY == 0) {
          double fraction = step / (double) STEPS;
          for (Map.Entry<String, Double> e : last.entrySet()) {
            if (!e.getKey().equals("train_loss")) {
              log.log(step, e.getKey(), e.getKey().contains("loss") ? e.getValue() / fraction : e.getValue() * fraction);
            }
          }
          log.log(step, "tokens_per_s", 1000.0 + spec.seed());
        }
      }
    }
    dir.write(record(spec, RunRecord.FINISHED, null, null, STEPS, last));
    attention(dir.path(), spec.variant().name().equals(baseline) ? 0 : 1);
  }

  private void failed(RunSpec spec, RunDirectory dir) {
    try (RunDirectory.MetricsLog log = dir.openMetrics()) {
      for (int step = 1; step <= 17; step++) {
        log.log(step, "train_loss", step < 17 ? 2.0 : 93.1);
      }
    }
    dir.write(record(spec, RunRecord.FAILED, FAILURE, 17L, 17, Map.of()));
    try {   // a torn last line, as a killed writer leaves it
      Files.writeString(dir.file("metrics.jsonl"), "{\"step\": 18, \"name\": \"train_lo", java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RunRecord record(RunSpec spec, io.ablate.tracking.RunStatus status, String failure, Long failedStep, long steps,
      Map<String, Double> metrics) {
    return new RunRecord(study, spec.id(), spec.variant().name(), spec.variant().factors(), spec.seed(), spec.hash(),
        "dev", "0123456789abcdef0123456789abcdef01234567", false, Map.of("transformer", "0.1.0"), spec.config(), status, failure, failedStep, 12_345, 74_070.0,
        "CpuBackend", 61.5 + spec.seed(), 1000.0 + spec.seed(), steps, metrics, "2025-01-01T00:00:0" + spec.seed() + "Z",
        "2025-01-01T00:01:0" + spec.seed() + "Z");
  }

  /**
   * attention.json with {@value #LAYERS} layers × {@value #HEADS} heads of causal weights over
   * {@value #T} tokens; pattern 0 attends to the previous token, pattern 1 uniformly.
   */
  static void attention(Path runDir, int pattern) {
    Map<String, Object> doc = new LinkedHashMap<>();
    int[] tokens = new int[T];
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < T; i++) {
      tokens[i] = 6 + i;
      pieces.add(i == 2 ? "<&>" : String.valueOf((char) ('a' + i)));
    }
    doc.put("tokens", tokens);
    doc.put("pieces", pieces);
    Map<String, double[][][]> layers = new LinkedHashMap<>();
    for (int l = 0; l < LAYERS; l++) {
      double[][][] heads = new double[HEADS][T][T];
      for (int h = 0; h < HEADS; h++) {
        for (int q = 0; q < T; q++) {
          for (int k = 0; k <= q; k++) {
            heads[h][q][k] = pattern == 0 ? (k == Math.max(0, q - 1 - h) ? 1 : 0) : 1.0 / (q + 1);
          }
        }
      }
      layers.put("model.blocks." + l + ".attention", heads);
    }
    doc.put("layers", layers);
    try {
      new ObjectMapper().writeValue(runDir.resolve("attention.json").toFile(), doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
