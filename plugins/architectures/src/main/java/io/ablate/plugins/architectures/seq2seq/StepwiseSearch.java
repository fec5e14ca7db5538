package io.ablate.plugins.architectures.seq2seq;

import io.ablate.spi.text.SpecialToken;
import io.ablate.tensor.Arena;
import java.util.Arrays;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Greedy and sampled decoding: one token per step for every sequence that has not yet produced [EOS];
 * finished sequences leave the batch.
 */
final class StepwiseSearch {
  private StepwiseSearch() {}

  /** @return for each source row, the generated ids (ending with [EOS] when it was produced) */
  static int[][] run(PrefixScorer scorer, int batch, int maxNewTokens, NextTokenRule rule) {
    int[][] generated = new int[batch][maxNewTokens];
    int[] length = new int[batch];
    boolean[] finished = new boolean[batch];
    for (int step = 0; step < maxNewTokens; step++) {
      int[] live = live(finished);
      if (live.length == 0) {
        break;
      }
      long[][] prefixes = new long[live.length][step + 1];   // [BOS] y1 … y_step
      for (int i = 0; i < live.length; i++) {
        prefixes[i][0] = SpecialToken.BOS.id();
        for (int j = 0; j < step; j++) {
          prefixes[i][j + 1] = generated[live[i]][j];
        }
      }
      double[][] logProbs = score(scorer, prefixes, live);
      for (int i = 0; i < live.length; i++) {
        int row = live[i];
        int token = rule.pick(logProbs[i]);
        generated[row][length[row]++] = token;
        finished[row] = token == SpecialToken.EOS.id();
      }
    }
    int[][] out = new int[batch][];
    for (int row = 0; row < batch; row++) {
      out[row] = Arrays.copyOf(generated[row], length[row]);
    }
    return out;
  }

  /** One scorer call; its arrays are freed before returning. */
  static double[][] score(PrefixScorer scorer, long[][] prefixes, int[] sources) {
    try (Arena ignored = Arena.open()) {
      return scorer.nextLogProbs(Nd4j.createFromArray(prefixes), sources).toDoubleMatrix();
    }
  }

  private static int[] live(boolean[] finished) {
    int n = 0;
    int[] rows = new int[finished.length];
    for (int row = 0; row < finished.length; row++) {
      if (!finished[row]) {
        rows[n++] = row;
      }
    }
    return Arrays.copyOf(rows, n);
  }
}
