package io.ablate.plugins.architectures.generation;

import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.RunState;
import io.ablate.spi.text.SpecialToken;
import io.ablate.tensor.Arena;
import io.ablate.tensor.GradMode;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Extends token prefixes one token at a time, in evaluation mode and without gradients, until every
 * row has emitted [EOS], {@code maxNewTokens} tokens are generated, or the sequence reaches the
 * model's length limit. Shared by every architecture that generates (decoders continue a prompt,
 * encoder-decoders extend [BOS] given a source).
 */
public final class Autoregressive {
  /** The model's scores for the next token of each row. */
  @FunctionalInterface
  public interface NextToken {
    /**
     * @param tokens (B, T) INT64 ids so far
     * @return (B, V) logits of position T; read before the step's arena closes (the loop copies it)
     */
    INDArray logits(INDArray tokens);
  }

  private Autoregressive() {}

  /**
   * @param prefix (B, T0) ids every row starts from
   * @param maxLength the longest sequence (prefix included) the model accepts
   * @param state the model's mode: switched to evaluation while generating, then restored
   * @return each row's new ids, up to and including its [EOS]
   */
  public static int[][] generate(INDArray prefix, Decoding decoding, int maxLength, RunState state, NextToken model) {
    if (decoding.maxNewTokens() < 0) {
      throw new IllegalArgumentException("max_new_tokens must be ≥ 0, got " + decoding.maxNewTokens());
    }
    int rows = (int) prefix.size(0);
    long start = prefix.size(1);
    if (start > maxLength) {
      throw new IllegalArgumentException("the prefix has " + start + " tokens; the model accepts at most " + maxLength);
    }
    TokenChooser chooser = new TokenChooser(decoding);
    long steps = Math.min(decoding.maxNewTokens(), maxLength - start);
    List<List<Integer>> generated = new ArrayList<>();
    for (int b = 0; b < rows; b++) {
      generated.add(new ArrayList<>());
    }
    boolean[] finished = new boolean[rows];
    int open = rows;
    boolean wasTraining = state.training();
    state.eval();
    INDArray tokens = prefix.castTo(DataType.INT64);
    try (var noGrad = GradMode.noGrad()) {
      for (long step = 0; step < steps && open > 0; step++) {
        int[] next;
        try (Arena ignored = Arena.open()) {
          next = chooser.choose(model.logits(tokens));
        }
        for (int b = 0; b < rows; b++) {
          if (!finished[b]) {
            generated.get(b).add(next[b]);
            if (next[b] == SpecialToken.EOS.id()) {
              finished[b] = true;
              open--;
            }
          }
        }
        INDArray column = Nd4j.createFromArray(next).castTo(DataType.INT64).reshape(rows, 1);
        tokens = Nd4j.concat(1, tokens, column);                                 // (B, T + 1)
      }
    } finally {
      if (wasTraining) {
        state.train();
      }
    }
    int[][] out = new int[rows][];
    for (int b = 0; b < rows; b++) {
      out[b] = generated.get(b).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }
}
