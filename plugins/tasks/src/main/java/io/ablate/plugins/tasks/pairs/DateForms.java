package io.ablate.plugins.tasks.pairs;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Surface forms of a date, none of them ambiguous between day-month and month-day order: month
 * names, or numbers in year/month/day order.
 */
public enum DateForms {
  /** March 5, 2021 */
  MONTH_DAY_YEAR,
  /** 5 March 2021 */
  DAY_MONTH_YEAR,
  /** Mar 5 2021 */
  SHORT_MONTH_DAY_YEAR,
  /** Friday, 5th of March 2021 */
  WEEKDAY_ORDINAL,
  /** March 5th, 2021 */
  MONTH_ORDINAL_YEAR,
  /** 2021/03/05 */
  YEAR_MONTH_DAY_SLASHES;

  public String render(LocalDate date) {
    String month = date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    String shortMonth = date.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    int day = date.getDayOfMonth();
    int year = date.getYear();
    return switch (this) {
      case MONTH_DAY_YEAR -> month + " " + day + ", " + year;
      case DAY_MONTH_YEAR -> day + " " + month + " " + year;
      case SHORT_MONTH_DAY_YEAR -> shortMonth + " " + day + " " + year;
      case WEEKDAY_ORDINAL -> date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + ", "
          + ordinal(day) + " of " + month + " " + year;
      case MONTH_ORDINAL_YEAR -> month + " " + ordinal(day) + ", " + year;
      case YEAR_MONTH_DAY_SLASHES -> String.format(Locale.ROOT, "%04d/%02d/%02d", year, date.getMonthValue(), day);
    };
  }

  /** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st. */
  static String ordinal(int day) {
    String suffix = day / 10 == 1 ? "th" : switch (day % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return day + suffix;
  }
}
