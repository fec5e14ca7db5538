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

  /** Sets the thread count of ND4J's kernels and of BLAS. */
  public static void use(int threads) {
    int n = Math.max(1, threads);
    Nd4j.getEnvironment().setMaxThreads(n);
    Nd4j.getEnvironment().setMaxMasterThreads(n);
    Nd4j.factory().blas().setMaxThreads(n);
  }

  /** Chooses the thread count for a model processing {@code tokens × width} activations per layer. */
  public static int chooseFor(long tokens, long width) {
    return tokens * width < SINGLE_THREAD_BELOW ? 1 : Runtime.getRuntime().availableProcessors();
  }
}
