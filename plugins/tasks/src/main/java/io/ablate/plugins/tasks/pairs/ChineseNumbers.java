package io.ablate.plugins.tasks.pairs;

/**
 * Cardinal numbers in standard Chinese numerals up to 亿 (exclusive): digits 零一二三四五六七八九
 * with units 十百千万. Conventions: {@code 10}–{@code 19} at the start of a number drop the
 * leading 一 (十, 十二, 十万), elsewhere it is kept (一百一十); a run of zeros inside a number is
 * one 零 (一千零五, 一万零五, 十万零一十), trailing zeros are silent (一百); 两 is never used (二百,
 * 二千, 二万), as in written numerals.
 */
public final class ChineseNumbers {
  private static final String DIGITS = "零一二三四五六七八九";
  private static final String[] UNITS = {"千", "百", "十", ""};
  /** The largest number written (below 一亿). */
  public static final int MAX = 99_999_999;

  private ChineseNumbers() {}

  public static String words(int n) {
    if (n < 0 || n > MAX) {
      throw new IllegalArgumentException("Chinese numerals cover 0 to " + MAX + " (below 亿), got " + n);
    }
    if (n == 0) {
      return "零";
    }
    int high = n / 10_000;
    int low = n % 10_000;
    if (high == 0) {
      return section(low, true);
    }
    StringBuilder out = new StringBuilder(section(high, true)).append('万');
    if (low > 0) {
      out.append(low < 1000 ? "零" : "").append(section(low, false));
    }
    return out.toString();
  }

  /** 1 ≤ n ≤ 9999; {@code leading}: at the start of the number, where 一十 is written 十. */
  private static String section(int n, boolean leading) {
    int[] digits = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
    StringBuilder out = new StringBuilder();
    boolean started = false;
    boolean zero = false;
    for (int i = 0; i < 4; i++) {
      if (digits[i] == 0) {
        zero = started;
        continue;
      }
      if (zero) {
        out.append('零');
        zero = false;
      }
      if (!(leading && !started && i == 2 && digits[i] == 1)) {
        out.append(DIGITS.charAt(digits[i]));
      }
      out.append(UNITS[i]);
      started = true;
    }
    return out.toString();
  }

  /** Every character the numerals use. */
  public static String alphabet() {
    return DIGITS + "十百千万";
  }
}
