package io.ablate.plugins.text.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.plugins.text.embedding.Word2Vec.Method;
import io.ablate.spi.text.TokenCorpus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** word2vec learns from co-occurrence: tokens used in identical contexts end up close. */
class Word2VecTest {
  private static final int VOCAB = 30;
  private static final int DIM = 16;
  /** Interchangeable: every sequence uses one of them at the same place, chosen at random. */
  private static final int TWIN_A = 10;
  private static final int TWIN_B = 11;

  /**
   * 600 sequences of 8 tokens over ids 6–29. Ids 6–9 form a frame around the twin slot
   * ({@code 6 7 [10|11] 8 9}); the rest are runs drawn from two disjoint clusters (12–20, 21–29).
   */
  private static TokenCorpus corpus() {
    SplittableRandom random = new SplittableRandom(3);
    List<int[]> sequences = new ArrayList<>();
    for (int s = 0; s < 600; s++) {
      int[] seq = new int[8];
      if (s % 3 == 0) {
        seq = new int[] {6, 7, random.nextBoolean() ? TWIN_A : TWIN_B, 8, 9, 6, 7, random.nextBoolean() ? TWIN_A : TWIN_B};
      } else {
        int base = s % 3 == 1 ? 12 : 21;
        for (int i = 0; i < seq.length; i++) {
          seq[i] = base + random.nextInt(9);
        }
      }
      sequences.add(seq);
    }
    return new TokenCorpus(sequences, VOCAB);
  }

  private static Word2Vec.Settings settings(Method method) {
    return new Word2Vec.Settings(method, 3, 5, 8, method == Method.CBOW ? 0.05 : 0.025, 0.0);
  }

  private static double cosine(float[] v, int a, int b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int d = 0; d < DIM; d++) {
      double x = v[a * DIM + d];
      double y = v[b * DIM + d];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return dot / Math.sqrt(na * nb);
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void tokensInIdenticalContextsBecomeSimilar(Method method) {
    Word2Vec.Result r = Word2Vec.train(corpus(), VOCAB, DIM, settings(method), 42);
    double twins = cosine(r.vectors(), TWIN_A, TWIN_B);
    double unrelated = 0;
    int pairs = 0;
    for (int a = 12; a <= 20; a++) {
      for (int b = 21; b <= 29; b++) {
        unrelated += Math.abs(cosine(r.vectors(), a, b));
        pairs++;
      }
    }
    unrelated /= pairs;
    assertTrue(twins > 0.8, method + ": cosine of the twins " + twins);
    assertTrue(twins > unrelated + 0.5, method + ": twins " + twins + " vs mean |cosine| across clusters " + unrelated);
    assertTrue(cosine(r.vectors(), 12, 13) > cosine(r.vectors(), 12, 22), method + ": same cluster beats across");
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void negativeSamplingLossDecreasesOverEpochs(Method method) {
    double[] loss = Word2Vec.train(corpus(), VOCAB, DIM, settings(method), 42).epochLoss();
    for (int e = 1; e < loss.length; e++) {                  // sampling noise allows a 1% plateau
      assertTrue(loss[e] < loss[e - 1] * 1.01, method + ": loss per epoch " + Arrays.toString(loss));
    }
    assertTrue(loss[loss.length - 1] < 0.8 * loss[0], method + ": loss per epoch " + Arrays.toString(loss));
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void deterministicForASeed(Method method) {
    Word2Vec.Settings s = new Word2Vec.Settings(method, 3, 5, 2, 0.025, 1e-3);
    assertArrayEquals(Word2Vec.train(corpus(), VOCAB, DIM, s, 7).vectors(),
        Word2Vec.train(corpus(), VOCAB, DIM, s, 7).vectors());
    assertFalse(Arrays.equals(Word2Vec.train(corpus(), VOCAB, DIM, s, 7).vectors(),
        Word2Vec.train(corpus(), VOCAB, DIM, s, 8).vectors()));
  }

  @org.junit.jupiter.api.Test
  void tokensNeverSeenKeepSmallRandomVectors() {
    float[] v = Word2Vec.train(corpus(), VOCAB, DIM, settings(Method.SKIPGRAM), 42).vectors();
    for (int id = 0; id < 6; id++) {                          // special tokens never occur in the corpus
      for (int d = 0; d < DIM; d++) {
        float x = v[id * DIM + d];
        assertTrue(Math.abs(x) <= 0.5f / DIM, "id " + id + " keeps its uniform ±0.5/D start: " + x);
      }
    }
    assertFalse(Arrays.equals(Arrays.copyOfRange(v, 0, DIM), Arrays.copyOfRange(v, DIM, 2 * DIM)));
  }
}
