package io.ablate.plugins.tasks.synthetic;

import java.math.BigInteger;
import java.util.SplittableRandom;

/** {@code addition}: {@code 407+95} → {@code 502}, two numbers of {@code length} digits and their sum. */
final class AdditionRule implements Rule {
  @Override
  public String componentName() {
    return "addition";
  }

  @Override
  public String source(SplittableRandom random, int length, int symbols) {
    return number(random, length) + "+" + number(random, length);
  }

  @Override
  public String apply(String source) {
    int plus = source.indexOf('+');
    return new BigInteger(source.substring(0, plus)).add(new BigInteger(source.substring(plus + 1))).toString();
  }

  @Override
  public String alphabet(int symbols) {
    return DIGITS + "+";
  }

  @Override
  public int maxCharacters(int length) {
    return (2 * length + 1) + (length + 1);
  }

  /** A number of exactly {@code digits} digits (no leading zero unless it is 0-9). */
  private static String number(SplittableRandom random, int digits) {
    StringBuilder s = new StringBuilder(digits);
    s.append(digits == 1 ? DIGITS.charAt(random.nextInt(10)) : DIGITS.charAt(1 + random.nextInt(9)));
    for (int i = 1; i < digits; i++) {
      s.append(DIGITS.charAt(random.nextInt(10)));
    }
    return s.toString();
  }
}
