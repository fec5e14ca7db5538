package io.ablate.plugins.architectures.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.text.SpecialToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Greedy, sampled and beam search over hand-set next-token distributions (no model involved). */
class SearchTest {
  static final int EOS = SpecialToken.EOS.id();
  static final int A = 6;
  static final int B = 7;
  static final int V = 8;

  /** A scorer from a function (source row, generated ids without [BOS]) → next-token probabilities (V). */
  static PrefixScorer scorer(BiFunction<Integer, List<Integer>, double[]> probabilities) {
    return (prefixes, sources) -> {
      long[][] ids = prefixes.toLongMatrix();
      double[][] out = new double[ids.length][];
      for (int i = 0; i < ids.length; i++) {
        List<Integer> generated = new ArrayList<>();
        for (int j = 1; j < ids[i].length; j++) {
          generated.add((int) ids[i][j]);
        }
        double[] p = probabilities.apply(sources[i], generated);
        out[i] = Arrays.stream(p).map(Math::log).toArray();
      }
      return Nd4j.createFromArray(out);
    };
  }

  /** Probabilities with the given mass on some tokens and the rest spread thinly over the others. */
  static double[] dist(Map<Integer, Double> mass) {
    double rest = 1 - mass.values().stream().mapToDouble(Double::doubleValue).sum();
    double[] p = new double[V];
    Arrays.fill(p, rest / (V - mass.size()));
    mass.forEach((token, m) -> p[token] = m);
    return p;
  }

  /**
   * Greedy takes A (0.6) then A (0.4) then [EOS]: probability ≈ 0.24. Starting with B (0.4) and ending
   * at once (0.9) has probability 0.36, which a beam of two finds.
   */
  static final PrefixScorer GREEDY_IS_WRONG = scorer((source, y) -> {
    if (y.isEmpty()) {
      return dist(Map.of(A, 0.6, B, 0.399));
    }
    if (y.equals(List.of(A))) {
      return dist(Map.of(A, 0.4, B, 0.3, EOS, 0.299));
    }
    if (y.equals(List.of(B))) {
      return dist(Map.of(EOS, 0.9));
    }
    return dist(Map.of(EOS, 0.999));
  });

  @Test
  void beamFindsTheMoreLikelySequenceGreedyMisses() {
    int[][] greedy = StepwiseSearch.run(GREEDY_IS_WRONG, 1, 5, NextTokenRule.greedy());
    int[][] beam = new BeamSearch(2, 5, 0).run(GREEDY_IS_WRONG, 1);
    assertArrayEquals(new int[] {A, A, EOS}, greedy[0]);
    assertArrayEquals(new int[] {B, EOS}, beam[0]);
    assertTrue(logProb(GREEDY_IS_WRONG, beam[0]) > logProb(GREEDY_IS_WRONG, greedy[0]));
    assertArrayEquals(greedy, new BeamSearch(1, 5, 0).run(GREEDY_IS_WRONG, 1), "a beam of one is greedy");
  }

  @Test
  void beamOfOneIsGreedyOnRandomDistributions() {
    for (long seed = 0; seed < 30; seed++) {
      PrefixScorer random = randomScorer(seed, 0.25);
      assertArrayEquals(StepwiseSearch.run(random, 3, 7, NextTokenRule.greedy()),
          new BeamSearch(1, 7, 0).run(random, 3), "seed " + seed);
    }
  }

  @Test
  void anExhaustiveBeamFindsTheBestSequenceForEveryLengthPenalty() {
    int maxNew = 4;
    int exhaustive = (int) Math.pow(V, maxNew);                 // never prunes a live prefix
    for (double penalty : new double[] {0, 0.6, 1, -0.5}) {
      for (long seed = 0; seed < 4; seed++) {
        var distributions = randomDistributions(seed, 0.2);
        PrefixScorer random = scorer(distributions);
        BeamSearch search = new BeamSearch(exhaustive, maxNew, penalty);
        int[][] found = search.run(random, 2);
        for (int row = 0; row < 2; row++) {
          double best = bruteForceBest(distributions, row, maxNew, search);
          double got = search.score(new BeamSearch.Hypothesis(found[row], logProb(random, row, found[row])));
          assertEquals(best, got, 1e-12, "penalty " + penalty + ", seed " + seed + ", row " + row);
        }
      }
    }
  }

  @Test
  void lengthPenaltyDecidesBetweenShortAndLong() {
    PrefixScorer scorer = scorer((source, y) -> y.isEmpty() ? dist(Map.of(EOS, 0.5, A, 0.499))
        : dist(Map.of(EOS, 0.9)));
    assertArrayEquals(new int[] {EOS}, new BeamSearch(2, 4, 0).run(scorer, 1)[0], "raw log-probability: short");
    assertArrayEquals(new int[] {A, EOS}, new BeamSearch(2, 4, 1).run(scorer, 1)[0], "per-token: long");
  }

  @Test
  void sequencesStopAtTheTokenLimitWithoutEos() {
    PrefixScorer neverEnds = scorer((source, y) -> dist(Map.of(A + source, 0.9)));
    int[][] greedy = StepwiseSearch.run(neverEnds, 2, 3, NextTokenRule.greedy());
    assertArrayEquals(new int[][] {{A, A, A}, {B, B, B}}, greedy);
    assertArrayEquals(greedy, new BeamSearch(3, 3, 1).run(neverEnds, 2));
    assertArrayEquals(new int[][] {{}, {}}, new BeamSearch(3, 0, 1).run(neverEnds, 2));
    assertArrayEquals(new int[][] {{}, {}}, StepwiseSearch.run(neverEnds, 2, 0, NextTokenRule.greedy()));
  }

  @Test
  void rowsFinishIndependently() {
    PrefixScorer scorer = scorer((source, y) -> source == 0 || y.size() >= 2 ? dist(Map.of(EOS, 0.9))
        : dist(Map.of(B, 0.9)));
    int[][] expected = {{EOS}, {B, B, EOS}};
    assertArrayEquals(expected, StepwiseSearch.run(scorer, 2, 5, NextTokenRule.greedy()));
    assertArrayEquals(expected, new BeamSearch(2, 5, 0).run(scorer, 2));
  }

  @Test
  void samplingFollowsTheDistributionAndItsRestrictions() {
    double[] logProbs = Arrays.stream(dist(Map.of(A, 0.5, B, 0.3, EOS, 0.15))).map(Math::log).toArray();
    int draws = 4000;
    int[] counts = new int[V];
    NextTokenRule plain = NextTokenRule.sample(1.0, 0, 3);
    for (int i = 0; i < draws; i++) {
      counts[plain.pick(logProbs)]++;
    }
    double[] p = Arrays.stream(logProbs).map(Math::exp).toArray();
    for (int token = 0; token < V; token++) {
      double sigma = Math.sqrt(draws * p[token] * (1 - p[token]));
      assertEquals(draws * p[token], counts[token], 4 * sigma + 1, "token " + token);
    }
    NextTokenRule topTwo = NextTokenRule.sample(1.0, 2, 3);
    NextTokenRule cold = NextTokenRule.sample(0.05, 0, 3);
    for (int i = 0; i < 200; i++) {
      int token = topTwo.pick(logProbs);
      assertTrue(token == A || token == B, "top-2 drew " + token);
      assertEquals(A, cold.pick(logProbs), "temperature 0.05 is all but greedy");
      assertEquals(A, NextTokenRule.sample(1.0, 1, i).pick(logProbs), "top-1 is greedy");
    }
    assertThrows(IllegalArgumentException.class, () -> NextTokenRule.sample(0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> NextTokenRule.sample(1, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> new BeamSearch(0, 5, 0));
  }

  @Test
  void topKKeepsTheLargestWithTiesInIndexOrder() {
    double[] values = {0.1, 0.5, 0.3, 0.5, -1, 0.3};
    assertArrayEquals(new int[] {1, 3, 2}, TopK.indices(values, 3));
    assertArrayEquals(new int[] {1, 3, 2, 5, 0, 4}, TopK.indices(values, 10));
    assertEquals(1, TopK.argmax(values));
  }

  /** A distribution per (source, prefix) drawn from a seeded generator; [EOS] gets eosBias extra mass. */
  static PrefixScorer randomScorer(long seed, double eosBias) {
    return scorer(randomDistributions(seed, eosBias));
  }

  static BiFunction<Integer, List<Integer>, double[]> randomDistributions(long seed, double eosBias) {
    return (source, y) -> {
      Random random = new Random(Objects.hash(seed, source, y));
      double[] p = new double[V];
      double total = 0;
      for (int i = 0; i < V; i++) {
        p[i] = Math.pow(random.nextDouble(), 3) + (i == EOS ? eosBias : 0);
        total += p[i];
      }
      for (int i = 0; i < V; i++) {
        p[i] /= total;
      }
      return p;
    };
  }

  static double logProb(PrefixScorer scorer, int[] tokens) {
    return logProb(scorer, 0, tokens);
  }

  /** Total log-probability of generating exactly these ids after [BOS]. */
  static double logProb(PrefixScorer scorer, int source, int[] tokens) {
    double total = 0;
    long[] prefix = {SpecialToken.BOS.id()};
    for (int token : tokens) {
      total += scorer.nextLogProbs(Nd4j.createFromArray(new long[][] {prefix}), new int[] {source}).getDouble(0, token);
      prefix = Arrays.copyOf(prefix, prefix.length + 1);
      prefix[prefix.length - 1] = token;
    }
    return total;
  }

  /**
   * The best score over every sequence that ends in [EOS] within maxNew tokens or is cut at maxNew,
   * by depth-first enumeration of the prefix tree.
   */
  static double bruteForceBest(BiFunction<Integer, List<Integer>, double[]> probabilities, int source, int maxNew,
      BeamSearch search) {
    return bestBelow(probabilities, source, new ArrayList<>(), 0.0, maxNew, search);
  }

  private static double bestBelow(BiFunction<Integer, List<Integer>, double[]> probabilities, int source,
      List<Integer> prefix, double logProb, int maxNew, BeamSearch search) {
    double best = Double.NEGATIVE_INFINITY;
    double[] next = probabilities.apply(source, prefix);
    for (int token = 0; token < V; token++) {
      prefix.add(token);
      double total = logProb + Math.log(next[token]);
      if (token == EOS || prefix.size() == maxNew) {
        int[] ids = prefix.stream().mapToInt(Integer::intValue).toArray();
        best = Math.max(best, search.score(new BeamSearch.Hypothesis(ids, total)));
      } else {
        best = Math.max(best, bestBelow(probabilities, source, prefix, total, maxNew, search));
      }
      prefix.remove(prefix.size() - 1);
    }
    return best;
  }
}
