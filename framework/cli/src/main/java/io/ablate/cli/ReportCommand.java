package io.ablate.cli;

import io.ablate.experiment.report.ReportWriter;
import io.ablate.experiment.report.StudyInfo;
import io.ablate.experiment.track.TrackedStudy;
import io.ablate.tracking.TrackingStore;
import io.ablate.tracking.TrackingUri;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ablate report STUDY}: rebuilds {@code results/<study>/} (summary.csv|json|md, plots,
 * report.html) from its run directories alone, without the spec.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Rebuild results/<study>/ (summary, plots, report.html) from the runs stored there.")
public final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STUDY",
      description = "A study name (looked up in the results folder) or the path of a study's results folder.")
  String study;

  @Option(names = "--results-dir", paramLabel = "DIR",
      description = "Where results are (default: results/ next to the launcher); the study's folder is DIR/<study>.")
  Path resultsDir;

  @Option(names = "--tracking-uri", paramLabel = "URI", description = "Rebuild from the runs logged in MLflow "
      + "(a server or a local store) instead: STUDY is then the experiment name, and the runs are written to the "
      + "study's results folder first.")
  String trackingUri;

  @Option(names = "--quiet", description = "Do not print the summary table.")
  boolean quiet;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path dir = trackingUri != null ? fromTracking() : studyDir();
    ReportWriter.Report report = ReportWriter.write(dir);
    PrintWriter out = spec.commandLine().getOut();
    if (!quiet) {
      out.print(SummaryTable.render(report.summary()));
    }
    out.printf("Wrote %d files to %s; open %s%n", report.files().size(), dir, report.html());
    out.flush();
    return 0;
  }

  /** Downloads the study's runs from the tracking store into its results folder. */
  private Path fromTracking() {
    TrackingStore store = TrackingUri.open(trackingUri)
        .orElseThrow(() -> new IllegalArgumentException("--tracking-uri none: nothing to read from"));
    try (store) {
      List<TrackedStudy> all = TrackedStudy.readAll(store, study);
      TrackedStudy tracked = all.get(0);
      if (all.size() > 1) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Experiment '%s' holds %d configurations of the study; rebuilding the latest (%s). Others: %s "
            + "(see `ablate compare %s`).%n", study, all.size(), tracked.label(),
            String.join("; ", all.subList(1, all.size()).stream().map(TrackedStudy::label).toList()), study);
      }
      Path dir = resultsRoot().resolve(tracked.study());
      tracked.materialise(dir);
      return dir;
    }
  }

  /** A path to a study folder as given, else the study's folder in the results root. */
  Path studyDir() {
    Path given = Path.of(study);
    if (resultsDir == null && looksLikeStudy(given)) {
      return given;
    }
    Path root = resultsRoot();
    Path named = root.resolve(study);
    if (looksLikeStudy(named)) {
      return named;
    }
    throw new IllegalArgumentException("no results for '" + study + "' in " + root.toAbsolutePath().normalize()
        + known(root) + " (give a study name, or the path of a folder with " + StudyInfo.FILE + " or runs/)");
  }

  private Path resultsRoot() {
    if (resultsDir != null) {
      return resultsDir;
    }
    String home = System.getProperty("ablate.home");
    return home == null ? Path.of("results") : Path.of(home, "results");
  }

  private static boolean looksLikeStudy(Path dir) {
    return Files.isRegularFile(dir.resolve(StudyInfo.FILE)) || Files.isDirectory(dir.resolve("runs"));
  }

  private static String known(Path root) {
    if (!Files.isDirectory(root)) {
      return "";
    }
    try (Stream<Path> children = Files.list(root)) {
      List<String> studies = children.filter(ReportCommand::looksLikeStudy).map(p -> p.getFileName().toString())
          .sorted().toList();
      return studies.isEmpty() ? "" : "; studies there: " + String.join(", ", studies);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
