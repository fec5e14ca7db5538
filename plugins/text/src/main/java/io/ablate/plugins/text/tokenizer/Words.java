package io.ablate.plugins.text.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Word-level splitting shared by {@code word} and {@code wordpiece}, and its inverse.
 *
 * <p>{@link #split}: whitespace separates; a run of letters, digits and combining marks is one word;
 * every other code point (punctuation, symbols, emoji) is a token of its own. {@code "Don't stop!"}
 * → {@code Don ' t stop !}.
 *
 * <p>{@link #join} puts one space between tokens except before closing punctuation
 * {@code . , ; : ! ? % ) ] } …}, after opening brackets {@code ( [ {}, and on either side of an
 * apostrophe {@code '} (so contractions {@code don't} come back whole). Hence {@code join(split(s))
 * == s} exactly for text written with single spaces in that style; otherwise the whitespace is
 * normalised (runs of whitespace become one space, none at the ends) and quotes written with
 * {@code '} lose their outer spaces.
 */
public final class Words {
  private static final String NO_SPACE_BEFORE = ".,;:!?%)]}'\u2026";
  private static final String NO_SPACE_AFTER = "([{'";

  private Words() {}

  /** The words and punctuation tokens of {@code text}, in order. */
  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    split(text, out::add);
    return out;
  }

  /** Streams the tokens of {@code text} to {@code sink}, without building a list. */
  public static void split(String text, Consumer<String> sink) {
    int n = text.length();
    int wordStart = -1;
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isWordChar(cp)) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else {
        if (wordStart >= 0) {
          sink.accept(text.substring(wordStart, i));
          wordStart = -1;
        }
        if (!isSpace(cp)) {
          sink.accept(text.substring(i, next));
        }
      }
      i = next;
    }
    if (wordStart >= 0) {
      sink.accept(text.substring(wordStart));
    }
  }

  /** Streams the whitespace-separated chunks of {@code text} to {@code sink} (no punctuation split). */
  public static void splitOnWhitespace(String text, Consumer<String> sink) {
    int n = text.length();
    int start = -1;
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      if (isSpace(cp)) {
        if (start >= 0) {
          sink.accept(text.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      sink.accept(text.substring(start));
    }
  }

  /** The tokens rejoined with the spacing rules above. */
  public static String join(List<String> tokens) {
    StringBuilder sb = new StringBuilder();
    String previous = null;
    for (String token : tokens) {
      if (previous != null && !attachesLeft(token) && !attachesRight(previous)) {
        sb.append(' ');
      }
      sb.append(token);
      previous = token;
    }
    return sb.toString();
  }

  public static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  public static boolean isWordChar(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private static boolean attachesLeft(String token) {
    return token.length() == 1 && NO_SPACE_BEFORE.indexOf(token.charAt(0)) >= 0;
  }

  private static boolean attachesRight(String token) {
    return token.length() == 1 && NO_SPACE_AFTER.indexOf(token.charAt(0)) >= 0;
  }
}
