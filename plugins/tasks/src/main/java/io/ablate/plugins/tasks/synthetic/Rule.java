package io.ablate.plugins.tasks.synthetic;

import java.util.Arrays;

/** Maps a source string of symbols to its target. */
public enum Rule {
  /** The target is the source. */
  COPY,
  /** The target is the source backwards. */
  REVERSE,
  /** The target is the source's symbols in sorted order. */
  SORT;

  public String apply(String source) {
    return switch (this) {
      case COPY -> source;
      case REVERSE -> new StringBuilder(source).reverse().toString();
      case SORT -> {
        char[] c = source.toCharArray();
        Arrays.sort(c);
        yield new String(c);
      }
    };
  }
}
