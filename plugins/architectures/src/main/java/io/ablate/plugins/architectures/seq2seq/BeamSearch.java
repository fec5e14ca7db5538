package io.ablate.plugins.architectures.seq2seq;

import io.ablate.spi.text.SpecialToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search: for each source, the {@code beamSize} best unfinished prefixes are extended by every
 * token; the best {@code beamSize} continuations that do not end in [EOS] form the next beam, and those
 * that end in [EOS] within the top {@code beamSize} ranks are finished hypotheses. A hypothesis is scored
 * by its total log-probability divided by {@code length^lengthPenalty} (0 = raw log-probability, which
 * favours short outputs; 1 = mean per-token log-probability), the length counting generated tokens
 * with [EOS].
 *
 * <p>A source stops as soon as no live prefix can beat its best finished hypothesis: log-probabilities
 * are ≤ 0, so a prefix's score can never rise above its current total divided by the most favourable
 * length still reachable. This bound is exact, so stopping early never changes the result. At the token
 * limit, unfinished prefixes compete with the finished hypotheses (they are returned without [EOS]).
 * With {@code beamSize} 1 and no length penalty this is greedy decoding.
 */
public final class BeamSearch {
  private final int beamSize;
  private final int maxNewTokens;
  private final double lengthPenalty;

  public BeamSearch(int beamSize, int maxNewTokens, double lengthPenalty) {
    if (beamSize < 1) {
      throw new IllegalArgumentException("beam size must be at least 1, got " + beamSize);
    }
    if (!Double.isFinite(lengthPenalty)) {
      throw new IllegalArgumentException("length penalty must be finite, got " + lengthPenalty);
    }
    this.beamSize = beamSize;
    this.maxNewTokens = maxNewTokens;
    this.lengthPenalty = lengthPenalty;
  }

  /** Generated ids (without [BOS]) and their total log-probability. */
  record Hypothesis(int[] tokens, double logProb) {
    static final Hypothesis EMPTY = new Hypothesis(new int[0], 0.0);

    Hypothesis extend(int token, double tokenLogProb) {
      int[] longer = Arrays.copyOf(tokens, tokens.length + 1);
      longer[tokens.length] = token;
      return new Hypothesis(longer, logProb + tokenLogProb);
    }
  }

  /** One continuation of a live prefix: beam index within its source, token, its log-probability, new total. */
  private record Candidate(int beam, int token, double tokenLogProb, double logProb) {}

  private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::logProb).reversed()
      .thenComparingInt(Candidate::beam).thenComparingInt(Candidate::token);

  /** @return for each source row, the best hypothesis' ids (ending with [EOS] when it finished) */
  public int[][] run(PrefixScorer scorer, int batch) {
    List<List<Hypothesis>> live = new ArrayList<>();
    Hypothesis[] bestFinished = new Hypothesis[batch];
    boolean[] done = new boolean[batch];
    for (int row = 0; row < batch; row++) {
      live.add(List.of(Hypothesis.EMPTY));
      done[row] = maxNewTokens <= 0;
    }
    for (int step = 0; step < maxNewTokens; step++) {
      List<long[]> prefixes = new ArrayList<>();
      List<Integer> sources = new ArrayList<>();
      for (int row = 0; row < batch; row++) {
        if (!done[row]) {
          for (Hypothesis h : live.get(row)) {
            prefixes.add(withBos(h.tokens()));
            sources.add(row);
          }
        }
      }
      if (prefixes.isEmpty()) {
        break;
      }
      double[][] logProbs = StepwiseSearch.score(scorer, prefixes.toArray(long[][]::new),
          sources.stream().mapToInt(Integer::intValue).toArray());
      int offset = 0;
      for (int row = 0; row < batch; row++) {
        if (done[row]) {
          continue;
        }
        List<Hypothesis> beams = live.get(row);
        List<Candidate> ranked = candidates(beams, logProbs, offset);
        offset += beams.size();
        List<Hypothesis> next = new ArrayList<>(beamSize);
        for (int rank = 0; rank < ranked.size() && next.size() < beamSize; rank++) {
          Candidate c = ranked.get(rank);
          Hypothesis extended = beams.get(c.beam()).extend(c.token(), c.tokenLogProb());
          if (c.token() != SpecialToken.EOS.id()) {
            next.add(extended);
          } else if (rank < beamSize && (bestFinished[row] == null || score(extended) > score(bestFinished[row]))) {
            bestFinished[row] = extended;
          }
        }
        live.set(row, next);
        done[row] = next.isEmpty() || (bestFinished[row] != null && bound(next) <= score(bestFinished[row]));
      }
    }
    int[][] out = new int[batch][];
    for (int row = 0; row < batch; row++) {
      Hypothesis best = bestFinished[row];
      if (!done[row]) {
        for (Hypothesis h : live.get(row)) {            // reached the token limit unfinished
          if (best == null || score(h) > score(best)) {
            best = h;
          }
        }
      }
      out[row] = best == null ? new int[0] : best.tokens();
    }
    return out;
  }

  /** The best 2·beamSize continuations of a source's beams, best first. */
  private List<Candidate> candidates(List<Hypothesis> beams, double[][] logProbs, int offset) {
    int keep = 2 * beamSize;
    List<Candidate> all = new ArrayList<>(beams.size() * keep);
    for (int b = 0; b < beams.size(); b++) {
      double[] next = logProbs[offset + b];
      for (int token : TopK.indices(next, keep)) {         // a global top-2k candidate is in its beam's top 2k
        all.add(new Candidate(b, token, next[token], beams.get(b).logProb() + next[token]));
      }
    }
    all.sort(BEST_FIRST);
    return all.size() > keep ? all.subList(0, keep) : all;
  }

  /** Length-normalised score of a hypothesis. */
  double score(Hypothesis h) {
    return normalise(h.logProb(), h.tokens().length);
  }

  private double normalise(double logProb, int length) {
    return lengthPenalty == 0 ? logProb : logProb / Math.pow(Math.max(1, length), lengthPenalty);
  }

  /**
   * The highest score any of these live prefixes could still reach: a total that can only fall,
   * at its current length (returned unfinished at the limit) or at the longest length reachable,
   * whichever the penalty favours (s / L^α is monotone in L for s ≤ 0).
   */
  private double bound(List<Hypothesis> beams) {
    double best = Double.NEGATIVE_INFINITY;
    for (Hypothesis h : beams) {
      double now = normalise(h.logProb(), h.tokens().length);
      double longest = normalise(h.logProb(), maxNewTokens);
      best = Math.max(best, Math.max(now, longest));
    }
    return best;
  }

  private static long[] withBos(int[] tokens) {
    long[] prefix = new long[tokens.length + 1];
    prefix[0] = SpecialToken.BOS.id();
    for (int i = 0; i < tokens.length; i++) {
      prefix[i + 1] = tokens[i];
    }
    return prefix;
  }
}
