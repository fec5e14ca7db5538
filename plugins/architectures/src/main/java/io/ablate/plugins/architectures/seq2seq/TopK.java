package io.ablate.plugins.architectures.seq2seq;

import java.util.Arrays;

/** Positions of the k largest values of a score vector: the selection step of top-k sampling and beam search. */
final class TopK {
  private TopK() {}

  /**
   * @return the indices of the {@code min(k, n)} largest values, largest first; equal values keep
   *     index order, so ties always resolve to the lower id (the same token argmax picks)
   */
  static int[] indices(double[] values, int k) {
    int n = Math.min(k, values.length);
    int[] top = new int[n];
    int size = 0;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (size == n && !(v > values[top[n - 1]])) {
        continue;                                    // not above the smallest kept value
      }
      int at = size == n ? n - 1 : size++;           // drop the smallest kept when full
      while (at > 0 && v > values[top[at - 1]]) {
        top[at] = top[at - 1];
        at--;
      }
      top[at] = i;
    }
    return size == n ? top : Arrays.copyOf(top, size);
  }

  /** Index of the largest value, the lowest index among equals. */
  static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
