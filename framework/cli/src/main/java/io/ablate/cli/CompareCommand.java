package io.ablate.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.ablate.experiment.report.SummaryWriter;
import io.ablate.experiment.track.TrackedStudy;
import io.ablate.tracking.TrackingStore;
import io.ablate.tracking.TrackingUri;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ablate compare STUDY…}: reads studies' runs from MLflow (a server or a local store) and
 * prints each one's ablation table, with the same statistics as the report.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Print the ablation table of one or more studies, read from MLflow.")
public final class CompareCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format { table, markdown, csv, json }

  @Parameters(arity = "1..*", paramLabel = "STUDY", description = "MLflow experiment names (a study's name by default).")
  List<String> experiments;

  @Option(names = "--tracking-uri", paramLabel = "URI",
      description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else ./mlruns).")
  String uri;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table (for a terminal), markdown, csv or json (default ${DEFAULT-VALUE}).")
  Format format;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    String resolved = TrackingUri.resolve(uri);
    if (resolved.equals(TrackingUri.DEFAULT)) {
      resolved = TrackingOptions.defaultStore().toString();
    }
    TrackingStore store = TrackingUri.open(resolved)
        .orElseThrow(() -> new IllegalArgumentException("--tracking-uri none: nothing to read from"));
    PrintWriter out = spec.commandLine().getOut();
    try (store) {
      boolean header = true;
      for (String experiment : experiments) {
        // One table per configuration of the study: runs of the same variant trained with other settings
        // are never pooled (they are labelled by the settings that differ, the latest first).
        for (TrackedStudy tracked : TrackedStudy.readAll(store, experiment)) {
          var summary = tracked.summary();
          String name = tracked.label().isEmpty() ? summary.study() : summary.study() + " [" + tracked.label() + "]";
          switch (format) {
            case table -> out.println(SummaryTable.render(summary).replaceFirst("^\\Q" + summary.study() + "\\E", name));
            case markdown -> out.println(SummaryWriter.markdown(summary).replaceFirst("^# .*\n", "# " + name + "\n"));
            case csv -> out.print(withStudyColumn(name, SummaryWriter.csv(summary), header));
            case json -> out.print(SummaryWriter.json(summary));
          }
          header = false;
        }
      }
    }
    out.flush();
    return 0;
  }

  /** The summary CSV with a first column naming the study (so several studies make one table), read and written as CSV. */
  private static String withStudyColumn(String study, String csv, boolean header) throws IOException {
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
        .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
    List<List<String>> rows = new java.util.ArrayList<>();
    try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class).readValues(csv)) {
      boolean first = true;
      while (it.hasNext()) {
        List<String> row = new java.util.ArrayList<>(it.next());
        row.add(0, first ? "study" : study);
        if (!first || header) {
          rows.add(row);
        }
        first = false;
      }
    }
    return mapper.writer().writeValueAsString(rows);
  }
}
