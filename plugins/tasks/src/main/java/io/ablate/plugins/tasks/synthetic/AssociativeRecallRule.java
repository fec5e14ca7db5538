package io.ablate.plugins.tasks.synthetic;

import java.util.SplittableRandom;

/** {@code associative-recall}: {@code a3c7d1?c} → {@code 7}, {@code length} distinct keys with a digit each, then a query. */
final class AssociativeRecallRule implements Rule {
  @Override
  public String componentName() {
    return "associative-recall";
  }

  @Override
  public String source(SplittableRandom random, int length, int symbols) {
    char[] keys = LETTERS.toCharArray();
    for (int i = keys.length - 1; i > 0; i--) {                  // Fisher-Yates: distinct keys
      int j = random.nextInt(i + 1);
      char t = keys[i];
      keys[i] = keys[j];
      keys[j] = t;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(keys[i]).append(DIGITS.charAt(random.nextInt(10)));
    }
    return s.append('?').append(keys[random.nextInt(length)]).toString();
  }

  @Override
  public String apply(String source) {
    char query = source.charAt(source.length() - 1);
    return String.valueOf(source.charAt(source.indexOf(query) + 1));
  }

  @Override
  public String alphabet(int symbols) {
    return LETTERS + DIGITS + "?";
  }

  @Override
  public int maxCharacters(int length) {
    return (2 * length + 2) + 1;
  }

  @Override
  public void check(int maxLength) {
    if (maxLength > LETTERS.length()) {
      throw new io.ablate.spi.ConfigException("task 'associative-recall': at most 26 distinct keys; eval_max_length "
          + maxLength + " is too long");
    }
  }
}
