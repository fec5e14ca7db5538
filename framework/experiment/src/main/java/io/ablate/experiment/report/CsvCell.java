package io.ablate.experiment.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV cells written safely: quoted where they hold a comma, quote or line break (by jackson-dataformat-csv),
 * and defused where a spreadsheet would run them as a formula (text starting with {@code = + - @}, tab or
 * carriage return gets a leading apostrophe), since variant names and failure reasons come from user
 * specs and plugins.
 */
public final class CsvCell {
  private static final CsvMapper CSV = (CsvMapper) new CsvMapper()
      .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);

  private CsvCell() {}

  /** One cell as it appears in a CSV line: defused and, where needed, quoted. */
  public static String of(String text) {
    String s = defuse(text);
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** The text with a leading apostrophe where a spreadsheet would run it as a formula ({@code null} → empty). */
  public static String defuse(String text) {
    if (text == null) {
      return "";
    }
    return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 && !isNumber(text) ? "'" + text : text;
  }

  /** A CSV document: a header line, then the rows, every cell defused. */
  public static String table(List<String> columns, List<List<String>> rows) {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(c -> schema.addColumn(c, CsvSchema.ColumnType.STRING));
    List<List<String>> safe = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      safe.add(row.stream().map(CsvCell::defuse).toList());
    }
    try {
      return CSV.writer(schema.build()).writeValueAsString(safe);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isNumber(String text) {
    try {
      Double.parseDouble(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
