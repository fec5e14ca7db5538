package io.ablate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.EmbeddingInit;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The contract of every token-embedding initialisation ({@link EmbeddingInit}): a (V, D) table of
 * the requested type, finite, with distinct rows (symmetry broken), the same for the same seed and
 * different for another. Initialisations that pre-train on the corpus claim
 * {@link Capability#PRETRAINED_ON_CORPUS}: they must depend on it and fail clearly without one.
 *
 * @param <C> the component's config record
 */
public abstract class EmbeddingInitContract<C extends Record> extends ComponentContract<C> {
  /** What an initialisation may claim beyond the basic contract. */
  public enum Capability {
    /** The table is learned from the token corpus; an empty corpus is an error that names it. */
    PRETRAINED_ON_CORPUS
  }

  protected static final int VOCAB = 24;
  protected static final int WIDTH = 8;

  protected abstract Set<Capability> capabilities();

  @Override
  protected abstract ComponentFactory<C, EmbeddingInit> factory();

  /** A small token corpus over ids [0, vocab): 40 sequences of 12 tokens from a fixed random bigram chain. */
  protected TokenCorpus corpus(int vocab) {
    SplittableRandom random = new SplittableRandom(11);
    List<int[]> sequences = new ArrayList<>();
    for (int s = 0; s < 40; s++) {
      int[] seq = new int[12];
      seq[0] = 6 + random.nextInt(vocab - 6);
      for (int i = 1; i < seq.length; i++) {
        seq[i] = 6 + (seq[i - 1] - 6 + 1 + random.nextInt(3)) % (vocab - 6);
      }
      sequences.add(seq);
    }
    return new TokenCorpus(sequences, vocab);
  }

  /** The table built by the component from {@code options}, with a generator seeded {@code seed}. */
  protected INDArray table(Map<String, Object> options, int vocab, int width, DataType type, TokenCorpus corpus,
      long seed) {
    try (Rng rng = new Rng(seed)) {
      EmbeddingInit init = factory().create(config(options),
          TestModels.context(new Dims(width, 1), ModelIO.languageModel(vocab, 8), type, rng));
      return init.initialise(vocab, width, type, corpus, rng);
    }
  }

  private INDArray table(long seed) {
    return table(exampleOptions().get(0), VOCAB, WIDTH, DataType.FLOAT, corpus(VOCAB), seed);
  }

  @Test
  void tableHasShapeVocabByWidthAndTheRequestedType() {
    for (Map<String, Object> options : exampleOptions()) {
      for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
        INDArray t = table(options, VOCAB, WIDTH, type, corpus(VOCAB), 3);
        assertArrayEquals(new long[] {VOCAB, WIDTH}, t.shape(), "shape, options " + options);
        assertEquals(type, t.dataType(), "data type, options " + options);
      }
    }
    INDArray odd = table(exampleOptions().get(0), 7, 5, DataType.FLOAT, corpus(7), 3);
    assertArrayEquals(new long[] {7, 5}, odd.shape(), "shape of a 7×5 table");
  }

  @Test
  void valuesAreFiniteAndModest() {
    for (Map<String, Object> options : exampleOptions()) {
      INDArray t = table(options, VOCAB, WIDTH, DataType.DOUBLE, corpus(VOCAB), 5);
      for (double v : t.data().asDouble()) {
        assertTrue(Double.isFinite(v), "non-finite value " + v + ", options " + options);
        assertTrue(Math.abs(v) < 100, "value " + v + " is far too large for an initial embedding, options " + options);
      }
    }
  }

  @Test
  void rowsAreDistinct() {
    double[][] rows = table(exampleOptions().get(0), VOCAB, WIDTH, DataType.DOUBLE, corpus(VOCAB), 5).toDoubleMatrix();
    for (int i = 0; i < VOCAB; i++) {
      for (int j = i + 1; j < VOCAB; j++) {
        assertFalse(Arrays.equals(rows[i], rows[j]), "rows " + i + " and " + j + " are identical");
      }
    }
  }

  @Test
  void sameSeedGivesTheSameTable() {
    assertArrayEquals(values(table(17)), values(table(17)), "two tables with seed 17");
  }

  @Test
  void differentSeedGivesADifferentTable() {
    assertFalse(Arrays.equals(values(table(17)), values(table(18))), "tables with seeds 17 and 18 are identical");
  }

  @Test
  void pretrainingDependsOnTheCorpus() {
    Capabilities.require(capabilities(), Capability.PRETRAINED_ON_CORPUS, factory().name());
    Map<String, Object> options = exampleOptions().get(0);
    TokenCorpus other = new TokenCorpus(List.of(new int[] {6, 7, 8, 9, 6, 7, 8, 9}, new int[] {9, 8, 7, 6}), VOCAB);
    assertFalse(Arrays.equals(values(table(options, VOCAB, WIDTH, DataType.FLOAT, corpus(VOCAB), 4)),
        values(table(options, VOCAB, WIDTH, DataType.FLOAT, other, 4))), "same seed, different corpora, same table");
  }

  @Test
  void pretrainingWithoutACorpusFailsClearly() {
    Capabilities.require(capabilities(), Capability.PRETRAINED_ON_CORPUS, factory().name());
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> table(exampleOptions().get(0), VOCAB, WIDTH, DataType.FLOAT, TokenCorpus.EMPTY, 4));
    assertTrue(e.getMessage() != null && e.getMessage().contains("corpus"), "message names the corpus: "
        + e.getMessage());
  }

  @Test
  void withoutPretrainingTheCorpusIsIgnored() {
    Assumptions.assumeFalse(capabilities().contains(Capability.PRETRAINED_ON_CORPUS),
        () -> "skipped: " + factory().name() + " claims PRETRAINED_ON_CORPUS");
    Map<String, Object> options = exampleOptions().get(0);
    assertArrayEquals(values(table(options, VOCAB, WIDTH, DataType.FLOAT, corpus(VOCAB), 4)),
        values(table(options, VOCAB, WIDTH, DataType.FLOAT, TokenCorpus.EMPTY, 4)), "same seed, with and without a corpus");
  }

  /** Every value, row-major, as doubles: for exact comparisons (INDArray.equals allows an epsilon). */
  protected static double[] values(INDArray table) {
    return table.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }
}
