package io.ablate.plugins.text.embedding;

import io.ablate.spi.text.TokenCorpus;
import java.util.SplittableRandom;

/**
 * word2vec with negative sampling (Mikolov et al., 2013), as in the reference C implementation:
 * skip-gram (each context token predicts the centre token) or CBOW (the mean of the context predicts
 * it), a window shrunk at random to 1…{@code window} for each centre token, {@code negatives} noise
 * tokens per positive drawn from the unigram distribution raised to 3/4, optional subsampling of
 * frequent tokens (keep probability {@code (sqrt(f/t) + 1)·t/f} for relative frequency f), and a
 * learning rate decaying linearly over all epochs to 0.01% of its start. Input vectors start uniform
 * in ±0.5/D, output vectors at zero; the input vectors are the result, so tokens that never occur keep
 * their small random start.
 *
 * <p>Single-threaded SGD on float arrays, deterministic for a seed.
 */
public final class Word2Vec {
  /** How the centre token is predicted. */
  public enum Method {
    /** Continuous bag of words: the mean of the context vectors predicts the centre token. */
    CBOW,
    /** Skip-gram: each context vector predicts the centre token. */
    SKIPGRAM
  }

  /** Training settings (see the class comment). */
  public record Settings(Method method, int window, int negatives, int epochs, double learningRate, double subsample) {}

  /**
   * @param vectors the input vectors, row-major (vocab, dim)
   * @param epochLoss mean negative-sampling loss per positive example, {@code -log σ(v·u⁺) − Σ log σ(−v·u⁻)},
   *     in each epoch (measured before each update)
   */
  public record Result(float[] vectors, int vocab, int dim, double[] epochLoss) {}

  private static final double MIN_RATE_FRACTION = 1e-4;

  private final Settings settings;
  private final int vocab;
  private final int dim;
  private final SplittableRandom random;
  private final float[] input;
  private final float[] output;
  private final float[] hidden;
  private final float[] hiddenGrad;
  private double[] noiseCumulative;
  private double lossSum;
  private long examples;

  private Word2Vec(Settings settings, int vocab, int dim, long seed) {
    this.settings = settings;
    this.vocab = vocab;
    this.dim = dim;
    this.random = new SplittableRandom(seed);
    this.input = new float[vocab * dim];
    this.output = new float[vocab * dim];
    this.hidden = new float[dim];
    this.hiddenGrad = new float[dim];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) ((random.nextDouble() - 0.5) / dim);
    }
  }

  /** Trains on the corpus; every id must lie in [0, vocab). */
  public static Result train(TokenCorpus corpus, int vocab, int dim, Settings settings, long seed) {
    if ((long) vocab * dim > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("word2vec table " + vocab + "×" + dim + " is too large");
    }
    long[] counts = new long[vocab];
    long total = 0;
    for (int s = 0; s < corpus.sequences().size(); s++) {
      for (int id : corpus.sequences().get(s)) {
        if (id < 0 || id >= vocab) {
          throw new IllegalArgumentException("word2vec: token id " + id + " in sequence " + s
              + " is outside the vocabulary [0, " + vocab + ")");
        }
        counts[id]++;
        total++;
      }
    }
    if (total == 0) {
      throw new IllegalArgumentException("word2vec pre-trains on the task's training text, but the token corpus is "
          + "empty: use it with a task that provides training text, or use embedding 'random'");
    }
    Word2Vec w2v = new Word2Vec(settings, vocab, dim, seed);
    return w2v.run(corpus, counts, total);
  }

  private Result run(TokenCorpus corpus, long[] counts, long total) {
    noiseCumulative = noiseDistribution(counts);
    double[] keep = keepProbabilities(counts, total);
    double[] epochLoss = new double[settings.epochs()];
    long schedule = (long) settings.epochs() * total;
    long processed = 0;
    int[] kept = new int[0];
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      lossSum = 0;
      examples = 0;
      for (int[] sequence : corpus.sequences()) {
        if (kept.length < sequence.length) {
          kept = new int[sequence.length];
        }
        int n = 0;
        for (int id : sequence) {
          if (keep[id] >= 1 || random.nextDouble() < keep[id]) {
            kept[n++] = id;
          }
        }
        for (int pos = 0; pos < n; pos++) {
          float rate = (float) (settings.learningRate()
              * Math.max(MIN_RATE_FRACTION, 1 - (double) processed / (schedule + 1)));
          int reach = settings.window() - random.nextInt(settings.window());   // 1 … window
          if (settings.method() == Method.SKIPGRAM) {
            skipGram(kept, n, pos, reach, rate);
          } else {
            cbow(kept, n, pos, reach, rate);
          }
          processed++;
        }
        processed += sequence.length - n;                                        // subsampled tokens count too
      }
      epochLoss[epoch] = examples == 0 ? Double.NaN : lossSum / examples;
    }
    return new Result(input, vocab, dim, epochLoss);
  }

  private void skipGram(int[] tokens, int n, int pos, int reach, float rate) {
    int centre = tokens[pos];
    for (int c = Math.max(0, pos - reach); c <= Math.min(n - 1, pos + reach); c++) {
      if (c == pos) {
        continue;
      }
      int row = tokens[c] * dim;
      System.arraycopy(input, row, hidden, 0, dim);
      java.util.Arrays.fill(hiddenGrad, 0f);
      negativeSampling(centre, rate);
      for (int d = 0; d < dim; d++) {
        input[row + d] += hiddenGrad[d];
      }
    }
  }

  private void cbow(int[] tokens, int n, int pos, int reach, float rate) {
    java.util.Arrays.fill(hidden, 0f);
    int contexts = 0;
    for (int c = Math.max(0, pos - reach); c <= Math.min(n - 1, pos + reach); c++) {
      if (c != pos) {
        int row = tokens[c] * dim;
        for (int d = 0; d < dim; d++) {
          hidden[d] += input[row + d];
        }
        contexts++;
      }
    }
    if (contexts == 0) {
      return;
    }
    for (int d = 0; d < dim; d++) {
      hidden[d] /= contexts;
    }
    java.util.Arrays.fill(hiddenGrad, 0f);
    negativeSampling(tokens[pos], rate);
    for (int c = Math.max(0, pos - reach); c <= Math.min(n - 1, pos + reach); c++) {
      if (c != pos) {
        int row = tokens[c] * dim;
        for (int d = 0; d < dim; d++) {
          input[row + d] += hiddenGrad[d];
        }
      }
    }
  }

  /** One positive and {@code negatives} noise targets for {@link #hidden}; accumulates {@link #hiddenGrad}. */
  private void negativeSampling(int centre, float rate) {
    for (int k = 0; k <= settings.negatives(); k++) {
      int target;
      int label;
      if (k == 0) {
        target = centre;
        label = 1;
      } else {
        target = sampleNoise();
        if (target == centre) {
          continue;
        }
        label = 0;
      }
      int row = target * dim;
      float score = 0;
      for (int d = 0; d < dim; d++) {
        score += hidden[d] * output[row + d];
      }
      double signed = label == 1 ? score : -score;
      lossSum += softplus(-signed);                                              // −log σ(±score)
      float g = (float) ((label - sigmoid(score)) * rate);
      for (int d = 0; d < dim; d++) {
        hiddenGrad[d] += g * output[row + d];
        output[row + d] += g * hidden[d];
      }
    }
    examples++;
  }

  private int sampleNoise() {
    double u = random.nextDouble() * noiseCumulative[vocab - 1];
    int lo = 0;
    int hi = vocab - 1;
    while (lo < hi) {                                                            // first i with cumulative[i] > u
      int mid = (lo + hi) >>> 1;
      if (noiseCumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Cumulative unigram^0.75 weights: the noise distribution (the C code's table, without quantisation). */
  private static double[] noiseDistribution(long[] counts) {
    double[] cumulative = new double[counts.length];
    double sum = 0;
    for (int i = 0; i < counts.length; i++) {
      sum += Math.pow(counts[i], 0.75);
      cumulative[i] = sum;
    }
    return cumulative;
  }

  private double[] keepProbabilities(long[] counts, long total) {
    double[] keep = new double[counts.length];
    double t = settings.subsample();
    for (int i = 0; i < counts.length; i++) {
      if (t <= 0 || counts[i] == 0) {
        keep[i] = 1;
      } else {
        double f = (double) counts[i] / total;
        keep[i] = (Math.sqrt(f / t) + 1) * t / f;
      }
    }
    return keep;
  }

  private static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  private static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }
}
