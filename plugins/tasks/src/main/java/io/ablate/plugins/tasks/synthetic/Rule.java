package io.ablate.plugins.tasks.synthetic;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How a synthetic task draws a source string of a given length and maps it to its target. "Length"
 * is the task's natural size: symbols (copy, reverse, sort), digits per operand (addition), or
 * key-value pairs (associative recall) — the quantity length generalisation varies.
 */
public enum Rule {
  /** The target is the source. */
  COPY,
  /** The target is the source backwards. */
  REVERSE,
  /** The target is the source's symbols in sorted order. */
  SORT,
  /** {@code 407+95} → {@code 502}: two numbers of {@code length} digits and their sum. */
  ADDITION,
  /** {@code a3c7d1?c} → {@code 7}: {@code length} key-value pairs with distinct keys, then a queried key. */
  ASSOCIATIVE_RECALL;

  private static final String DIGITS = "0123456789";
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

  /** The component name, e.g. {@code associative-recall}. */
  public String componentName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** A random source of the given length; {@code symbols} is the alphabet size of the symbol tasks. */
  public String source(SplittableRandom random, int length, int symbols) {
    return switch (this) {
      case COPY, REVERSE, SORT -> {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
          s.append((char) ('a' + random.nextInt(symbols)));
        }
        yield s.toString();
      }
      case ADDITION -> number(random, length) + "+" + number(random, length);
      case ASSOCIATIVE_RECALL -> {
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
        yield s.append('?').append(keys[random.nextInt(length)]).toString();
      }
    };
  }

  public String apply(String source) {
    return switch (this) {
      case COPY -> source;
      case REVERSE -> new StringBuilder(source).reverse().toString();
      case SORT -> {
        char[] c = source.toCharArray();
        Arrays.sort(c);
        yield new String(c);
      }
      case ADDITION -> {
        int plus = source.indexOf('+');
        yield new java.math.BigInteger(source.substring(0, plus)).add(new java.math.BigInteger(source.substring(plus + 1)))
            .toString();
      }
      case ASSOCIATIVE_RECALL -> {
        char query = source.charAt(source.length() - 1);
        int at = source.indexOf(query);
        yield String.valueOf(source.charAt(at + 1));
      }
    };
  }

  /** Every character a source or target can hold, so a tokenizer sees them all when it trains. */
  public String alphabet(int symbols) {
    return switch (this) {
      case COPY, REVERSE, SORT -> LETTERS.substring(0, symbols);
      case ADDITION -> DIGITS + "+";
      case ASSOCIATIVE_RECALL -> LETTERS + DIGITS + "?";
    };
  }

  /** Longest source plus longest target, in characters, for a given length. */
  public int maxCharacters(int length) {
    return switch (this) {
      case COPY, REVERSE, SORT -> 2 * length;
      case ADDITION -> (2 * length + 1) + (length + 1);
      case ASSOCIATIVE_RECALL -> (2 * length + 2) + 1;
    };
  }

  /** Rejects lengths the rule cannot generate. */
  public void check(int maxLength) {
    if (this == ASSOCIATIVE_RECALL && maxLength > LETTERS.length()) {
      throw new io.ablate.spi.ConfigException("task 'associative-recall': at most 26 distinct keys; eval_max_length "
          + maxLength + " is too long");
    }
  }

  private static String number(SplittableRandom random, int digits) {
    StringBuilder s = new StringBuilder(digits);
    s.append(digits == 1 ? DIGITS.charAt(random.nextInt(10)) : DIGITS.charAt(1 + random.nextInt(9)));
    for (int i = 1; i < digits; i++) {
      s.append(DIGITS.charAt(random.nextInt(10)));
    }
    return s.toString();
  }
}
