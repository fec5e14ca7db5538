package io.ablate.experiment.report;

import io.ablate.experiment.run.StudyPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds everything in {@code results/<study>/} from the run directories: {@code summary.csv|json|md},
 * {@code runs.csv} (one row per run),
 * {@code learning_curves.png}, {@code attention_entropy.png} (runs that logged attention entropy),
 * {@code length_generalisation.png} (per-length metrics only),
 * {@code attention_<variant>.png} (runs that captured attention) and {@code report.html}.
 * A plot that cannot be drawn is logged and left out; the summary and the page are always written.
 */
public final class ReportWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");   // charts are drawn off screen, with or without a display
    }
  }

  private ReportWriter() {}

  /** What was written. */
  public record Report(Summary summary, List<Path> files, Path html) {}

  /** After {@code ablate run}: the plan's runs, in plan order. */
  public static Report write(StudyPlan plan) throws IOException {
    return write(StudyResults.of(plan));
  }

  /** For {@code ablate report}: a results folder alone (see {@link StudyResults#load}). */
  public static Report write(Path studyDir) throws IOException {
    return write(StudyResults.load(studyDir));
  }

  public static Report write(StudyResults results) throws IOException {
    Path dir = results.dir();
    MetricDirections.read(dir);
    removeOldPlots(dir);
    Summary summary = results.summary();
    SummaryWriter.write(summary, dir);
    List<Path> files = new ArrayList<>(List.of(dir.resolve("summary.csv"), dir.resolve("summary.json"),
        dir.resolve("summary.md"), RunsTable.write(results, dir)));
    List<HtmlReport.Figure> figures = new ArrayList<>();
    plot("learning curves", () -> LearningCurvesPlot.write(results, summary, dir)).ifPresent(p -> figures.add(
        new HtmlReport.Figure("Learning curves", "training loss and " + summary.primary()
            + " against step; line = mean over finished seeds, band = min–max across seeds", p, "wide")));
    plot("attention entropy", () -> AttentionEntropyPlot.write(results, dir)).ifPresent(p -> figures.add(
        new HtmlReport.Figure("Attention entropy", "entropy (nats) of each layer's attention rows on a fixed probe "
            + "batch at every evaluation; line = mean over heads and finished seeds, band = lowest to highest head "
            + "(seed-averaged); a uniform row over n keys has ln n, a one-hot row 0; layers L0, L1, … in forward "
            + "order", p, "wide")));
    plot("length generalisation", () -> LengthGeneralisationPlot.write(results, summary, dir)).ifPresent(p -> {
      var trainMax = LengthGeneralisationPlot.trainMaxLength(results);
      var family = LengthGeneralisationPlot.family(summary).orElseThrow();
      figures.add(new HtmlReport.Figure("Length generalisation", family.name() + " at each evaluated "
          + family.lengthName() + "; bars = 95% CI over seeds" + (trainMax.isEmpty() ? ""
              : "; dashed line: " + (family.context() ? "training context " : "longest training length ")
                  + trainMax.getAsInt()), p, "wide"));
    });
    for (String variant : results.info().variants()) {
      Optional<RunResult> run = results.finished(variant).stream().filter(r -> r.attention() != null).findFirst();
      if (run.isPresent()) {
        plot("attention of " + variant, () -> AttentionPlot.write(run.get(), dir)).ifPresent(p -> figures.add(
            new HtmlReport.Figure("Attention: " + variant, "one training example, seed " + run.get().record().seed()
                + "; rows = query positions, columns = key positions, dark = high weight", p, "tile")));
      }
    }
    figures.forEach(f -> files.add(f.png()));
    List<PrefixMatching.Score> prefix = prefixMatching(results);
    if (!prefix.isEmpty()) {
      PrefixMatching.write(prefix, dir);
      files.add(dir.resolve(PrefixMatching.FILE));
    }
    Path html = HtmlReport.write(results, summary, figures, dir);
    files.add(html);
    return new Report(summary, files, html);
  }

  /** Prefix-matching scores of the runs whose captured example is a repeated string; none if that fails. */
  private static List<PrefixMatching.Score> prefixMatching(StudyResults results) {
    try {
      return PrefixMatching.of(results);
    } catch (RuntimeException e) {
      LOG.warn("report: prefix-matching scores not computed: {}", e.toString());
      return List.of();
    }
  }

  /** Plots of an earlier report (a variant since removed, a curve no run has now) must not linger. */
  private static void removeOldPlots(Path dir) throws IOException {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return;
    }
    try (var files = java.nio.file.Files.newDirectoryStream(dir, "{attention_*,learning_curves,length_generalisation}.png")) {
      for (Path f : files) {
        java.nio.file.Files.deleteIfExists(f);
      }
    }
  }

  private interface PlotStep {
    Optional<Path> draw() throws IOException;
  }

  private static Optional<Path> plot(String what, PlotStep step) {
    try {
      return step.draw();
    } catch (IOException | RuntimeException e) {
      LOG.warn("report: {} not drawn: {}", what, e.toString());
      return Optional.empty();
    }
  }
}
