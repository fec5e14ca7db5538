package io.ablate.plugins.text.tokenizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Encodings of recently seen words, so that encoding a large text segments each distinct word once.
 * Bounded (cleared when full) and safe to share between threads; it never changes what is encoded.
 */
final class WordCache {
  private static final int CAPACITY = 1 << 16;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  /** The cached encoding of {@code word}, computing it on a miss; callers must not modify the array. */
  int[] get(String word, Function<String, int[]> encoder) {
    int[] ids = cache.get(word);
    if (ids == null) {
      ids = encoder.apply(word);
      if (cache.size() >= CAPACITY) {
        cache.clear();
      }
      cache.put(word, ids);
    }
    return ids;
  }

  void clear() {
    cache.clear();
  }
}
