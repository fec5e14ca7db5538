package io.ablate.plugins.tasks.pairs;

/**
 * Cardinal numbers in English words, American style: no "and" ({@code 312} → "three hundred
 * twelve"), hyphens between tens and units ("twenty-one"), short scale ("one million").
 */
public final class EnglishNumbers {
  private static final String[] SMALL = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
      "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
      "nineteen"};
  private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
      "ninety"};
  /** The largest number written. */
  public static final int MAX = 999_999_999;

  private EnglishNumbers() {}

  public static String words(int n) {
    if (n < 0 || n > MAX) {
      throw new IllegalArgumentException("English number words cover 0 to " + MAX + ", got " + n);
    }
    if (n == 0) {
      return SMALL[0];
    }
    StringBuilder out = new StringBuilder();
    scale(out, n / 1_000_000, "million");
    scale(out, n / 1000 % 1000, "thousand");
    scale(out, n % 1000, "");
    return out.toString();
  }

  private static void scale(StringBuilder out, int group, String name) {
    if (group == 0) {
      return;
    }
    if (out.length() > 0) {
      out.append(' ');
    }
    out.append(belowThousand(group));
    if (!name.isEmpty()) {
      out.append(' ').append(name);
    }
  }

  private static String belowThousand(int n) {
    StringBuilder out = new StringBuilder();
    if (n >= 100) {
      out.append(SMALL[n / 100]).append(" hundred");
      n %= 100;
      if (n > 0) {
        out.append(' ');
      }
    }
    if (n >= 20) {
      out.append(TENS[n / 10]);
      if (n % 10 > 0) {
        out.append('-').append(SMALL[n % 10]);
      }
    } else if (n > 0) {
      out.append(SMALL[n]);
    }
    return out.toString();
  }

  /** Every character the words use. */
  public static String alphabet() {
    return "abcdefghijklmnopqrstuvwxyz -";
  }
}
