package io.ablate.tensor;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads ND4J's element-wise kernels and BLAS use. Small models run faster on one thread
 * (on 2 cores the tiny benchmark model takes ~43 ms per step on one thread against ~65 ms on two:
 * per-op thread hand-offs cost more than they save); larger ones use every core.
 *
 * <p>Also set {@code OMP_WAIT_POLICY=PASSIVE} in the environment (the ./ablate launcher does): with
 * libgomp's default spinning, BLAS and ND4J's own threads steal each other's cores, measured 2×
 * slower on the small benchmark model.
 */
public final class Threads {
  /** Below this many activation elements per layer (tokens × width), one thread is faster. */
  public static final long SINGLE_THREAD_BELOW = 256 * 1024;

  private Threads() {}

  /**
   * Cores a process may use for its runs: {@code OMP_NUM_THREADS} when set (cluster cells set it to
   * their allocation), else every core.
   */
  public static int cores() {
    String env = System.getenv("OMP_NUM_THREADS");
    if (env != null && env.matches("\\d{1,4}") && Integer.parseInt(env) > 0) {
      return Integer.parseInt(env);
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Threads for one training run among {@code concurrentRuns} sharing the process's cores: its
   * share of the cores, and one thread for a small model whatever the share (a study's base models
   * trained 1.5-2× faster on one thread than on two, measured on 2 cores; docs/benchmarks.md).
   */
  public static int forRun(long tokensPerStep, long width, int concurrentRuns) {
    int share = Math.max(1, cores() / Math.max(1, concurrentRuns));
    return Math.min(share, chooseFor(tokensPerStep, width));
  }

  /** The count {@link #use} set last; every core until then. */
  private static volatile int current = Runtime.getRuntime().availableProcessors();

  /**
   * Sets the thread count of the engine's own kernels and products ({@link #current}), of BLAS and
   * of ND4J's kernels. ND4J 1.0.0-M2.1 ignores {@code setMaxThreads} below the cores (measured: it
   * stays 2 on 2 cores), so the engine reads the count from {@link #current}, not from ND4J.
   */
  public static void use(int threads) {
    int n = Math.max(1, threads);
    current = n;
    Nd4j.getEnvironment().setMaxThreads(n);
    Nd4j.getEnvironment().setMaxMasterThreads(n);
    Nd4j.factory().blas().setMaxThreads(n);
  }

  /** The threads this process's runs use now: what {@link #use} set, else every core. */
  public static int current() {
    return current;
  }

  /** Chooses the thread count for a model processing {@code tokens × width} activations per layer. */
  public static int chooseFor(long tokens, long width) {
    return tokens * width < SINGLE_THREAD_BELOW ? 1 : cores();
  }
}
