package io.ablate.plugins.architectures.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shared fixtures of the sequence-to-sequence architecture tests: tiny models built by name, padded
 * batches, a reversal task, and a few-step trainer. Written so that an architecture contract can take
 * them over.
 */
public final class Seq2SeqTesting {
  /** Special tokens take ids 0–5; ordinary tokens are 6–11. */
  public static final int VOCAB = 12;
  public static final int MAX_LENGTH = 16;

  private static final int PAD = SpecialToken.PAD.id();
  private static final int BOS = SpecialToken.BOS.id();
  private static final int EOS = SpecialToken.EOS.id();

  private Seq2SeqTesting() {}

  public static BuiltModel build(ComponentSpec spec, long seed, DataType type) {
    return new ModelBuilder(io.ablate.testkit.TestModels.registry())
        .build(spec, ModelIO.seq2seq(VOCAB, MAX_LENGTH), seed, TokenCorpus.EMPTY, type);
  }

  /**
   * A padded batch from unpadded sequences: the source as given, the decoder input [BOS] y, the
   * targets y [EOS]; padding is [PAD] with mask 0 and target {@link Batch#IGNORE}.
   */
  public static Batch batch(int[][] sources, int[][] outputs) {
    int b = sources.length;
    int s = Arrays.stream(sources).mapToInt(r -> r.length).max().orElse(1);
    int t = Arrays.stream(outputs).mapToInt(r -> r.length + 1).max().orElse(1);
    long[][] src = new long[b][s];
    long[][] srcMask = new long[b][s];
    long[][] dec = new long[b][t];
    long[][] decMask = new long[b][t];
    long[][] tgt = new long[b][t];
    for (int i = 0; i < b; i++) {
      Arrays.fill(src[i], PAD);
      Arrays.fill(dec[i], PAD);
      Arrays.fill(tgt[i], Batch.IGNORE);
      for (int j = 0; j < sources[i].length; j++) {
        src[i][j] = sources[i][j];
        srcMask[i][j] = 1;
      }
      for (int j = 0; j <= outputs[i].length; j++) {
        dec[i][j] = j == 0 ? BOS : outputs[i][j - 1];
        tgt[i][j] = j < outputs[i].length ? outputs[i][j] : EOS;
        decMask[i][j] = 1;
      }
    }
    return Batch.seq2seq(Nd4j.createFromArray(src), Nd4j.createFromArray(srcMask), Nd4j.createFromArray(dec),
        Nd4j.createFromArray(decMask), Nd4j.createFromArray(tgt));
  }

  /** Two rows, the second with two padded source positions and one padded decoder position. */
  public static Batch smallBatch() {
    return batch(new int[][] {{6, 7, 8, 9, 10}, {11, 9, 7}}, new int[][] {{10, 9, 8}, {7, 9}});
  }

  /** Sources of the reversal task: four sequences of different lengths (so the batch is padded). */
  public static final int[][] REVERSAL_SOURCES = {{6, 7, 8, 9}, {10, 11, 6}, {7, 9, 11, 8, 10}, {11, 6}};

  /** Each source reversed. */
  public static int[][] reversed(int[][] sources) {
    int[][] out = new int[sources.length][];
    for (int i = 0; i < sources.length; i++) {
      out[i] = new int[sources[i].length];
      for (int j = 0; j < sources[i].length; j++) {
        out[i][j] = sources[i][sources[i].length - 1 - j];
      }
    }
    return out;
  }

  /** The expected generation: the target followed by [EOS]. */
  public static int[] withEos(int[] target) {
    int[] out = Arrays.copyOf(target, target.length + 1);
    out[target.length] = EOS;
    return out;
  }

  /** Full-batch Adam steps; returns the loss before the last step. */
  public static double train(BuiltModel built, Batch batch, int steps, double lr) {
    Adam adam = Adam.adamW(built.params().parameters(), 0.0);
    double last = Double.NaN;
    for (int step = 0; step < steps; step++) {
      built.params().parameters().zeroGrad();
      Tensor loss = built.model().loss(batch);
      last = loss.item();
      loss.backward();
      adam.step(lr);
    }
    return last;
  }

  /** A copy of an integer array with one element changed. */
  public static INDArray with(INDArray ids, int row, int column, long value) {
    INDArray copy = ids.dup();
    copy.putScalar(new long[] {row, column}, value);
    return copy;
  }

  public static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
    double worst = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    assertTrue(worst <= tolerance, what + ": max |difference| " + worst + " > " + tolerance);
  }

  /** The (B, k, V) slice of positions [from, to) of (B, T, V) logits. */
  public static INDArray positions(INDArray logits, int from, int to) {
    return logits.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
  }
}
