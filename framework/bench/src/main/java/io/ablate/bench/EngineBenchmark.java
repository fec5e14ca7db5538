package io.ablate.bench;

import io.ablate.bench.model.Decoder;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import io.ablate.tensor.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains the {@link BenchConfig} decoder with our engine on one fixed random batch and measures
 * forward, backward and optimizer time per step, throughput, achieved GFLOP/s, MFU against the
 * machine's measured peak GEMM, and resident memory over the run.
 */
public final class EngineBenchmark {
  private final BenchConfig config;
  private final long seed;

  public EngineBenchmark(BenchConfig config, long seed) {
    this.config = config;
    this.seed = seed;
  }

  /**
   * Runs {@code warmup} untimed steps then {@code steps} timed ones; {@code progress} hears each
   * finished timed step (1-based).
   */
  public BenchResult run(int warmup, int steps, double peakGflops, IntConsumer progress) {
    Decoder model = new Decoder(config, seed, DataType.FLOAT);
    Optimizer optimizer = Adam.adamW(model.parameters(), 0.01);
    INDArray[] batch = batch();
    double firstLoss = Double.NaN;
    for (int i = 0; i < warmup; i++) {
      double loss = trainStep(model, optimizer, batch, null);
      if (i == 0) {
        firstLoss = loss;
      }
    }
    long[] nanos = new long[3];
    Map<Integer, Double> rss = new LinkedHashMap<>();
    double lastLoss = Double.NaN;
    for (int step = 1; step <= steps; step++) {
      lastLoss = trainStep(model, optimizer, batch, nanos);
      if (Double.isNaN(firstLoss)) {
        firstLoss = lastLoss;
      }
      if (step == 1 || step == 100 || step % 1000 == 0 || step == steps) {
        rss.put(step, ResidentMemory.megabytes());
      }
      progress.accept(step);
    }
    double msForward = nanos[0] / 1e6 / steps;
    double msBackward = nanos[1] / 1e6 / steps;
    double msOptimizer = nanos[2] / 1e6 / steps;
    double msPerStep = msForward + msBackward + msOptimizer;
    double gflops = config.trainingFlopsPerStep() / (msPerStep / 1e3) / 1e9;
    return new BenchResult(config.name(), steps, model.parameters().count(),
        config.tokensPerStep() / (msPerStep / 1e3), msPerStep, msForward, msBackward, msOptimizer,
        gflops, peakGflops, gflops / peakGflops, firstLoss, lastLoss, ResidentMemory.megabytes(), rss);
  }

  /** One forward, backward and AdamW update; adds the phase times to {@code nanos} if given. */
  static double trainStep(Decoder model, Optimizer optimizer, INDArray[] batch, long[] nanos) {
    long t0 = System.nanoTime();
    Tensor loss = model.loss(batch[0], batch[1]);
    double value = loss.item();
    long t1 = System.nanoTime();
    loss.backward();
    long t2 = System.nanoTime();
    optimizer.step(1e-3);
    optimizer.parameters().zeroGrad();
    long t3 = System.nanoTime();
    if (nanos != null) {
      nanos[0] += t1 - t0;
      nanos[1] += t2 - t1;
      nanos[2] += t3 - t2;
    }
    return value;
  }

  /** Random tokens (B, T+1) from the seed: inputs are the first T, targets the last T. */
  public INDArray[] batch() {
    try (Rng rng = new Rng(seed ^ 0x5eedL)) {
      INDArray ids = rng.integers(config.vocab(), config.batch(), config.seqLen() + 1);
      INDArray inputs = ids.get(NDArrayIndex.all(), NDArrayIndex.interval(0, config.seqLen())).dup('c');
      INDArray targets = ids.get(NDArrayIndex.all(), NDArrayIndex.interval(1, config.seqLen() + 1)).dup('c');
      return new INDArray[] {inputs, targets};
    }
  }
}
