package io.ablate.plugins.text.tokenizer;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Counting helpers for training: frequency tables and their deterministic ordering. */
final class Corpus {
  private Corpus() {}

  /** How often each piece occurs, where {@code splitter} streams the pieces of one text. */
  static Map<String, Long> count(List<String> texts, BiConsumer<String, Consumer<String>> splitter) {
    Map<String, long[]> counts = new HashMap<>();
    for (String text : texts) {
      if (text == null) {
        throw new IllegalArgumentException("the training corpus contains a null text");
      }
      splitter.accept(text, piece -> counts.computeIfAbsent(piece, p -> new long[1])[0]++);
    }
    Map<String, Long> out = new HashMap<>(counts.size() * 2);
    counts.forEach((piece, n) -> out.put(piece, n[0]));
    return out;
  }

  /** Most frequent first, ties in string order: the order learned vocabularies add tokens in. */
  static List<Map.Entry<String, Long>> byFrequency(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
            .thenComparing(Map.Entry::getKey))
        .toList();
  }
}
