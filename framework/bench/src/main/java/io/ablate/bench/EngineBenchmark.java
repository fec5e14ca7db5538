package io.ablate.bench;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.plugin.Registry;
import io.ablate.spi.model.Batch;
import io.ablate.tensor.Arena;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.NativeCounters;
import io.ablate.tensor.OpProfiler;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import io.ablate.tensor.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a {@link BenchModel} with our engine on one fixed random batch and measures forward, backward
 * and optimizer time per step, throughput, achieved GFLOP/s, MFU against the machine's measured peak
 * GEMM, and resident memory over the run. The model is built by the plugin registry and
 * {@link ModelBuilder}, exactly as a study builds it, so every speed-up measured here reaches studies.
 */
public final class EngineBenchmark {
  private final Registry registry;
  private final BenchModel target;
  private final long seed;
  private double[] nativePerStep;

  public EngineBenchmark(Registry registry, BenchModel target, long seed) {
    this.registry = registry;
    this.target = target;
    this.seed = seed;
  }

  /** Builds the model as a study would (float32, the given seed); the caller closes it. */
  public BuiltModel build() {
    return new ModelBuilder(registry).build(target.architecture(), target.io(), seed);
  }

  /**
   * Runs {@code warmup} untimed steps then {@code steps} timed ones; {@code progress} hears each
   * finished timed step (1-based).
   */
  public BenchResult run(int warmup, int steps, double peakGflops, IntConsumer progress) {
    return run(warmup, steps, peakGflops, progress, false);
  }

  /**
   * As {@link #run(int, int, double, IntConsumer)}, or with {@code evaluation} each step is the
   * evaluation of the batch instead: the loss without gradients, nothing kept for backward (a study's
   * evaluation pass), its FLOPs a third of a training step's.
   */
  public BenchResult run(int warmup, int steps, double peakGflops, IntConsumer progress, boolean evaluation) {
    try (BuiltModel model = build()) {
      Optimizer optimizer = Adam.adamW(model.params().parameters(), 0.01);
      Batch batch = batch();
      double firstLoss = Double.NaN;
      for (int i = 0; i < warmup; i++) {
        double loss = evaluation ? evalStep(model, batch, null) : trainStep(model, optimizer, batch, null);
        if (i == 0) {
          firstLoss = loss;
        }
      }
      long[] nanos = new long[3];
      Map<Integer, Double> rss = new LinkedHashMap<>();
      double lastLoss = Double.NaN;
      OpProfiler.reset();                     // the per-op profile, like the counters, covers timed steps only
      long calls0 = NativeCounters.enabled() ? NativeCounters.opCalls() : 0;
      long created0 = NativeCounters.nativeObjectsCreated();
      for (int step = 1; step <= steps; step++) {
        lastLoss = evaluation ? evalStep(model, batch, nanos) : trainStep(model, optimizer, batch, nanos);
        if (Double.isNaN(firstLoss)) {
          firstLoss = lastLoss;
        }
        if (step == 1 || step == 100 || step % 1000 == 0 || step == steps) {
          rss.put(step, ResidentMemory.megabytes());
        }
        progress.accept(step);
      }
      nativePerStep = new double[] {
          NativeCounters.enabled() ? (NativeCounters.opCalls() - calls0) / (double) steps : Double.NaN,
          (NativeCounters.nativeObjectsCreated() - created0) / (double) steps};
      double msForward = nanos[0] / 1e6 / steps;
      double msBackward = nanos[1] / 1e6 / steps;
      double msOptimizer = nanos[2] / 1e6 / steps;
      double msPerStep = msForward + msBackward + msOptimizer;
      double flops = evaluation ? target.flopsPerStep() / 3 : target.flopsPerStep();
      double gflops = flops / (msPerStep / 1e3) / 1e9;
      return new BenchResult(target.name(), steps, model.parameterCount(),
          target.tokensPerStep() / (msPerStep / 1e3), msPerStep, msForward, msBackward, msOptimizer,
          gflops, peakGflops, gflops / peakGflops, firstLoss, lastLoss, ResidentMemory.megabytes(), rss);
    }
  }

  /**
   * Of the last {@link #run}'s timed steps, per step: libnd4j op calls (NaN unless
   * {@link NativeCounters#enable()} was called) and native objects (buffers, op contexts) created.
   */
  public double[] nativePerStep() {
    return nativePerStep.clone();
  }

  /** One forward, backward and AdamW update; adds the phase times to {@code nanos} if given. */
  static double trainStep(BuiltModel model, Optimizer optimizer, Batch batch, long[] nanos) {
    OpProfiler.stepStarts();
    long t0 = System.nanoTime();
    Tensor loss = model.model().loss(batch);
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

  /** The loss of the batch without gradients, its arrays freed after; adds the time to {@code nanos[0]} if given. */
  static double evalStep(BuiltModel model, Batch batch, long[] nanos) {
    OpProfiler.stepStarts();
    long t0 = System.nanoTime();
    double value;
    try (Arena step = Arena.open(); var ignored = GradMode.noGrad()) {
      value = model.model().loss(batch).item();
    }
    if (nanos != null) {
      nanos[0] += System.nanoTime() - t0;
    }
    return value;
  }

  /** Random tokens (B, T+1) from the seed: inputs are the first T, targets the last T. */
  public Batch batch() {
    int t = target.seqLen();
    try (Rng rng = new Rng(seed ^ 0x5eedL)) {
      INDArray ids = rng.integers(target.io().vocabSize(), target.batch(), t + 1);
      INDArray inputs = ids.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t)).dup('c');
      INDArray targets = ids.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t + 1)).dup('c');
      return Batch.languageModel(inputs, targets);
    }
  }
}
