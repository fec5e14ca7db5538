package io.ablate.experiment.report;

/**
 * One CSV cell: quoted where it holds a comma, quote or line break, and defused where a spreadsheet
 * would run it as a formula (text starting with {@code = + - @}, tab or carriage return gets a leading
 * apostrophe), since variant names and failure reasons come from user specs and plugins.
 */
public final class CsvCell {
  private CsvCell() {}

  public static String of(String text) {
    if (text == null) {
      return "";
    }
    String s = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 && !isNumber(text) ? "'" + text : text;
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
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
