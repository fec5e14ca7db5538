package io.ablate.plugins.tasks.synthetic;

/**
 * How a synthetic task draws a source string of a given length and maps it to its target. "Length"
 * is the task's natural size: symbols (copy, reverse, sort), digits per operand (addition), or
 * key-value pairs (associative recall) — the quantity length generalisation varies. One class per task.
 */
public interface Rule {
  /** The target is the source. */
  Rule COPY = new CopyRule();
  /** The target is the source backwards. */
  Rule REVERSE = new ReverseRule();
  /** The target is the source's symbols in sorted order. */
  Rule SORT = new SortRule();
  /** {@code 407+95} → {@code 502}: two numbers of {@code length} digits and their sum. */
  Rule ADDITION = new AdditionRule();
  /** {@code a3c7d1?c} → {@code 7}: {@code length} key-value pairs with distinct keys, then a queried key. */
  Rule ASSOCIATIVE_RECALL = new AssociativeRecallRule();

  String DIGITS = "0123456789";
  String LETTERS = "abcdefghijklmnopqrstuvwxyz";

  /** The component name, e.g. {@code associative-recall}. */
  String componentName();

  /** A random source of the given length; {@code symbols} is the alphabet size of the symbol tasks. */
  String source(java.util.SplittableRandom random, int length, int symbols);

  /** The target for a source. */
  String apply(String source);

  /** Every character a source or target can hold, so a tokenizer sees them all when it trains. */
  String alphabet(int symbols);

  /** Longest source plus longest target, in characters, for a given length. */
  int maxCharacters(int length);

  /** Rejects lengths the rule cannot generate. */
  default void check(int maxLength) {
  }
}
