package io.ablate.plugins.tasks.synthetic;

import java.util.SplittableRandom;

/** What copy, reverse and sort share: sources are random strings over the first {@code symbols} letters. */
abstract class SymbolRule implements Rule {
  @Override
  public String source(SplittableRandom random, int length, int symbols) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(symbols)));
    }
    return s.toString();
  }

  @Override
  public String alphabet(int symbols) {
    return LETTERS.substring(0, symbols);
  }

  @Override
  public int maxCharacters(int length) {
    return 2 * length;
  }
}
