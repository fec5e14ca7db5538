package io.ablate.experiment.report;

import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.ablate.experiment.run.RunRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code runs.csv}: one row per run (variant × seed), the ablated factors as columns, then status,
 * wall time, parameters and every final metric (per-length ones too) — the table to load into
 * pandas or R for an analysis of one's own. Written with jackson-dataformat-csv, so a failure
 * reason with commas, quotes or line breaks stays one quoted cell.
 */
public final class RunsTable {
  public static final String FILE = "runs.csv";

  private RunsTable() {}

  public static Path write(StudyResults results, Path dir) throws IOException {
    List<RunRecord> records = results.records();
    Set<String> factors = new LinkedHashSet<>();
    Set<String> metrics = new LinkedHashSet<>();
    for (RunRecord r : records) {
      factors.addAll(r.factors().keySet());
      r.metrics().keySet().stream().filter(m -> !m.startsWith("confusion/")).forEach(metrics::add);
    }
    List<String> columns = new ArrayList<>(List.of("run", "variant", "seed"));
    columns.addAll(factors);
    columns.addAll(List.of("status", "failure", "steps", "wall_seconds", "parameters", "config_hash"));
    columns.addAll(metrics);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RunRecord r : records) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("run", CsvCell.defuse(r.run()));
      row.put("variant", CsvCell.defuse(r.variant()));
      row.put("seed", r.seed());
      factors.forEach(f -> row.put(f, r.factors().get(f) instanceof String text ? CsvCell.defuse(text)
          : r.factors().get(f)));
      row.put("status", RunRecord.label(r.status()));
      row.put("failure", r.failure() == null ? null : CsvCell.defuse(r.failure()));
      row.put("steps", r.steps());
      row.put("wall_seconds", r.wallSeconds());
      row.put("parameters", r.parameters());
      row.put("config_hash", r.hash());
      metrics.forEach(m -> row.put(m, r.metrics().get(m)));
      rows.add(row);
    }
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(schema::addColumn);
    Path file = dir.resolve(FILE);
    new CsvMapper().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).writerFor(List.class).with(schema.build()).writeValue(file.toFile(), rows);
    return file;
  }
}
