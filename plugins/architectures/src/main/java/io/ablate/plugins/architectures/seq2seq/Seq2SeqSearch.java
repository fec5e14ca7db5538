package io.ablate.plugins.architectures.seq2seq;

import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.RunState;
import io.ablate.tensor.GradMode;

/**
 * {@link io.ablate.spi.model.Generator#generate} for any {@link Seq2SeqModel}: encodes the source once,
 * then decodes greedily, by sampling or by beam search, in evaluation mode and without gradients.
 */
public final class Seq2SeqSearch {
  private Seq2SeqSearch() {}

  /**
   * @param batch {@code tokens} (B, S) and {@code tokenMask} are the source
   * @param lengthPenalty beam search's length normalisation exponent (see {@link BeamSearch})
   * @param maxTargetLength the longest decoder input the model accepts; caps {@code maxNewTokens}
   * @param state the model's mode, switched to evaluation for the call and restored afterwards
   * @return for each source row, the generated ids (ending with [EOS] when it was produced)
   */
  public static int[][] generate(Seq2SeqModel model, Batch batch, Decoding decoding, double lengthPenalty,
      int maxTargetLength, RunState state) {
    if (batch.tokens() == null) {
      throw new IllegalArgumentException("seq2seq generation needs the source in batch.tokens(), got none");
    }
    int rows = (int) batch.tokens().size(0);
    int maxNewTokens = Math.max(0, Math.min(decoding.maxNewTokens(), maxTargetLength));
    boolean training = state.training();
    state.eval();
    try (var ignored = GradMode.noGrad()) {
      PrefixScorer scorer = model.encode(batch.tokens(), batch.tokenMask());
      return switch (decoding.strategy()) {
        case GREEDY -> StepwiseSearch.run(scorer, rows, maxNewTokens, NextTokenRule.greedy());
        case SAMPLE -> StepwiseSearch.run(scorer, rows, maxNewTokens,
            NextTokenRule.sample(decoding.temperature(), decoding.topK(), decoding.seed()));
        case BEAM -> new BeamSearch(decoding.beamSize(), maxNewTokens, lengthPenalty).run(scorer, rows);
      };
    } finally {
      if (training) {
        state.train();
      }
    }
  }
}
