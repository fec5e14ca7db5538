package io.ablate.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CSV cells from user text cannot run as spreadsheet formulas or break the row. */
class CsvCellTest {
  @Test
  void formulasAreDefusedAndSeparatorsQuoted() {
    assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", CsvCell.of("=HYPERLINK(\"x\")"));
    assertEquals("'@SUM(A1)", CsvCell.of("@SUM(A1)"));
    assertEquals("'+cmd", CsvCell.of("+cmd"));
    assertEquals("-1.5", CsvCell.of("-1.5"));
    assertEquals("\"a,b\"", CsvCell.of("a,b"));
    assertEquals("\"line\nbreak\"", CsvCell.of("line\nbreak"));
    assertEquals("positional=rotary", CsvCell.of("positional=rotary"));
  }
}
