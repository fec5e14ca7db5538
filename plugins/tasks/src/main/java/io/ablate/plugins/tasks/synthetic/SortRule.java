package io.ablate.plugins.tasks.synthetic;

import java.util.Arrays;

/** {@code sort}: the target is the source's symbols in sorted order. */
final class SortRule extends SymbolRule {
  @Override
  public String componentName() {
    return "sort";
  }

  @Override
  public String apply(String source) {
    char[] c = source.toCharArray();
    Arrays.sort(c);
    return new String(c);
  }
}
