package io.ablate.bench.samediff;

import io.ablate.bench.BenchConfig;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Training throughput of the benchmark decoder in SameDiff: the baseline our eager engine is
 * compared against.
 *
 * <p>One random token batch is drawn from the seed and trained on repeatedly: warm-up steps
 * (untimed), then {@code steps} timed steps of forward + backward + AdamW update each. The losses
 * come from separate, untimed forward passes, because SameDiff's {@code fit} does not compute the
 * loss value (see {@link SameDiffDecoder}).
 */
public final class SameDiffBaseline {

  /**
   * @param tokensPerSecond trained tokens (B·T per step) per second over the timed steps
   * @param msPerStep mean wall time of one timed step
   * @param firstLoss loss on the batch just before the first timed step
   * @param lastLoss loss on the batch just after the last timed step
   */
  public record Result(double tokensPerSecond, double msPerStep, double firstLoss, double lastLoss) {}

  private SameDiffBaseline() {}

  /** Builds the model, runs one untimed warm-up step, then times {@code steps} training steps. */
  public static Result run(BenchConfig cfg, int steps, long seed) {
    return run(cfg, steps, seed, 1);
  }

  /**
   * As {@link #run(BenchConfig, int, long)} with {@code warmupSteps} untimed steps first. SameDiff
   * on the CPU backend takes several steps (JIT, session caches) to reach its steady speed.
   */
  public static Result run(BenchConfig cfg, int steps, long seed, int warmupSteps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be positive, got " + steps);
    }
    SameDiffDecoder model = new SameDiffDecoder(cfg, seed);
    INDArray tokens = randomTokens(cfg, seed); // (B, T + 1)
    INDArray inputs = tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(0, cfg.seqLen())).dup();
    INDArray targets =
        tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(1, cfg.seqLen() + 1)).dup();

    for (int i = 0; i < warmupSteps; i++) {
      model.trainStep(inputs, targets);
    }

    double firstLoss = model.loss(inputs, targets);
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      model.trainStep(inputs, targets);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double lastLoss = model.loss(inputs, targets);

    return new Result(
        (double) cfg.tokensPerStep() * steps / seconds, 1e3 * seconds / steps, firstLoss, lastLoss);
  }

  /** Token ids uniform in [0, vocab), INT32 (B, T + 1). */
  static INDArray randomTokens(BenchConfig cfg, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[][] ids = new int[cfg.batch()][cfg.seqLen() + 1];
    for (int[] row : ids) {
      for (int t = 0; t < row.length; t++) {
        row[t] = random.nextInt(cfg.vocab());
      }
    }
    return Nd4j.createFromArray(ids);
  }
}
