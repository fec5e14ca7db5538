package io.ablate.experiment.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ablate.experiment.run.RunSpec;
import io.ablate.experiment.run.StudyPlan;
import io.ablate.experiment.spec.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What a report needs from the spec, stored as {@code results/<study>/study.json} when a study
 * starts, so that {@code ablate report} can rebuild everything from the results folder alone.
 *
 * @param variants variant names in design order
 * @param baseline the variant the others are compared with
 * @param metrics the metrics the spec asked for, the first being the primary one (may be empty)
 * @param runs the run directory names under {@code runs/}, in plan order (seed by seed)
 */
public record StudyInfo(String study, String description, List<String> variants, String baseline,
    List<String> metrics, List<Long> seeds, List<String> runs) {

  /** The file name inside a study's results folder. */
  public static final String FILE = "study.json";

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  public StudyInfo {
    description = description == null ? "" : description;
    variants = List.copyOf(variants);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    seeds = seeds == null ? List.of() : List.copyOf(seeds);
    runs = runs == null ? List.of() : List.copyOf(runs);
  }

  public static StudyInfo of(StudyPlan plan) {
    return new StudyInfo(plan.spec().study(), plan.spec().description(),
        plan.variants().stream().map(Variant::name).toList(), plan.baseline().name(), plan.spec().metrics(),
        plan.spec().seeds(), plan.runs().stream().map(r -> runDirectoryName(plan, r)).toList());
  }

  /** Writes {@code study.json} for a plan into its results folder (atomically); call before training. */
  public static StudyInfo write(StudyPlan plan) {
    StudyInfo info = of(plan);
    info.write(plan.dir());
    try {
      MetricDirections.write(plan.dir());     // the validated tasks' metric declarations, for `ablate report`
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + plan.dir().resolve(MetricDirections.FILE), e);
    }
    return info;
  }

  public void write(Path studyDir) {
    try {
      Files.createDirectories(studyDir);
      Path tmp = studyDir.resolve(FILE + "." + java.util.UUID.randomUUID() + ".tmp");   // cells write it at once
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, studyDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + studyDir.resolve(FILE), e);
    }
  }

  /** The stored description of a study, if its folder has one. */
  public static Optional<StudyInfo> read(Path studyDir) {
    Path file = studyDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), StudyInfo.class));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String runDirectoryName(StudyPlan plan, RunSpec run) {
    return plan.directory(run).path().getFileName().toString();
  }
}
