package io.ablate.plugins.architectures;

import io.ablate.spi.model.Batch;
import io.ablate.spi.text.SpecialToken;
import io.ablate.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small seeded batches for the architecture tests. Row b has {@code lengths[b]} real tokens, then
 * [PAD]; padded positions are never scored.
 */
public final class TestBatches {
  private static final int MASK = SpecialToken.MASK.id();
  private static final int PAD = SpecialToken.PAD.id();

  private TestBatches() {}

  /** Random ordinary ids (B, T), [PAD] after each row's length. */
  private static INDArray ordinary(long seed, int vocab, int t, int... lengths) {
    INDArray ids;
    try (Rng rng = new Rng(seed)) {
      ids = rng.integers(vocab - SpecialToken.COUNT, lengths.length, t).addi(SpecialToken.COUNT);
    }
    for (int b = 0; b < lengths.length; b++) {
      for (int j = lengths[b]; j < t; j++) {
        ids.putScalar(b, j, PAD);
      }
    }
    return ids;
  }

  /** (B, T) 1 for real tokens, or null when no row is padded. */
  private static INDArray mask(int t, int... lengths) {
    boolean padded = false;
    INDArray mask = Nd4j.zeros(DataType.FLOAT, lengths.length, t);
    for (int b = 0; b < lengths.length; b++) {
      padded |= lengths[b] < t;
      for (int j = 0; j < lengths[b]; j++) {
        mask.putScalar(b, j, 1);
      }
    }
    return padded ? mask : null;
  }

  /** Next-token prediction on random sequences of T tokens. */
  public static Batch languageModel(long seed, int vocab, int t, int... lengths) {
    INDArray ids = ordinary(seed, vocab, t + 1, lengths);
    INDArray inputs = ids.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, t)).dup();
    INDArray targets = ids.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(1, t + 1)).dup();
    for (int b = 0; b < lengths.length; b++) {
      for (int j = Math.max(0, lengths[b] - 1); j < t; j++) {
        targets.putScalar(b, j, Batch.IGNORE);                     // the next token is padding
      }
    }
    return new Batch(io.ablate.spi.model.Objective.LANGUAGE_MODEL, inputs, mask(t, lengths), targets, null, null, null);
  }

  /** [CLS] then random tokens; positions 2 and 4 replaced by [MASK] and scored. */
  public static Batch maskedLm(long seed, int vocab, int t, int... lengths) {
    INDArray tokens = ordinary(seed, vocab, t, lengths);
    INDArray targets = Nd4j.valueArrayOf(new long[] {lengths.length, t}, Batch.IGNORE, DataType.INT64);
    for (int b = 0; b < lengths.length; b++) {
      tokens.putScalar(b, 0, SpecialToken.CLS.id());
      for (int j : new int[] {2, 4}) {
        if (j < lengths[b]) {
          targets.putScalar(b, j, tokens.getLong(b, j));
          tokens.putScalar(b, j, MASK);
        }
      }
    }
    return Batch.maskedLm(tokens, mask(t, lengths), targets);
  }

  /** [CLS] then random tokens, one random label per row. */
  public static Batch classification(long seed, int vocab, int classes, int t, int... lengths) {
    INDArray tokens = ordinary(seed, vocab, t, lengths);
    for (int b = 0; b < lengths.length; b++) {
      tokens.putScalar(b, 0, SpecialToken.CLS.id());
    }
    INDArray labels;
    try (Rng rng = new Rng(seed + 1)) {
      labels = rng.integers(classes, lengths.length);
    }
    return Batch.classification(tokens, mask(t, lengths), labels);
  }

  /** Random patch vectors (B, N, P) and one random label per image. */
  public static Batch images(long seed, int rows, int patches, int patchDim, int classes) {
    try (Rng rng = new Rng(seed)) {
      INDArray x = rng.normal(DataType.FLOAT, 0, 1, rows, patches, patchDim);
      return Batch.images(x, rng.integers(classes, rows));
    }
  }
}
