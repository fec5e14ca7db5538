package io.ablate.plugins.text.tokenizer;

import java.util.Arrays;

/** A growable int array for building encodings without boxing. */
final class IdBuffer {
  private int[] ids = new int[16];
  private int size;

  void add(int id) {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = id;
  }

  void addAll(int[] more) {
    if (size + more.length > ids.length) {
      ids = Arrays.copyOf(ids, Math.max(size + more.length, size * 2));
    }
    System.arraycopy(more, 0, ids, size, more.length);
    size += more.length;
  }

  int[] toArray() {
    return Arrays.copyOf(ids, size);
  }
}
