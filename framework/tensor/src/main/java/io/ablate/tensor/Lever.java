package io.ablate.tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The engine's speed levers that can be switched while a process runs, so that a benchmark can
 * alternate them in one JVM ({@code ablate bench --ab LEVER}): on a noisy machine two processes
 * minutes apart differ by more than a lever is worth. Each starts from its system property
 * ({@code -Dablate.parallelKernels=false} and so on; on unless set to {@code false}).
 */
public enum Lever {
  /** GELU, the attention softmax and the norms split their rows over the run's threads. */
  PARALLEL_KERNELS("parallelKernels"),
  /** LayerNorm and RMSNorm as one Java pass each way instead of a chain of libnd4j calls. */
  FUSED_NORM("fusedNorm"),
  /** {@code softmax(scale · x + mask)} as one Java pass each way instead of three libnd4j calls. */
  FUSED_SOFTMAX("fusedSoftmax"),
  /** An Adam/AdamW step as one Java pass over the flat buffers instead of about twelve libnd4j calls. */
  FUSED_ADAM("fusedAdam"),
  /** Matrix products split over the run's threads in Java, each part one single-threaded BLAS call. */
  SPLIT_GEMM("splitGemm"),
  /** A linear map's bias written into its product's output first (BLAS adds onto it), bias
   * gradients and other sums over rows as one BLAS matrix-vector product. */
  FUSED_BIAS("fusedBias"),
  /** Kernel parts handed to threads that spin briefly for work and for each other before parking. */
  SPIN_HANDOFF("spinHandoff"),
  /** Float32 cross-entropy as one Java pass each way instead of about ten libnd4j calls. */
  FUSED_CROSS_ENTROPY("fusedCrossEntropy"),
  /** Attention's scores product, softmax and mixing product one (batch, head) entry at a time, each
   * entry's scores staying in cache, instead of three passes over all entries. */
  FUSED_ATTENTION("fusedAttention"),
  /** Without gradients, a sublayer's intermediates are freed (pooled) when it returns, not when the
   * whole pass ends ({@link Arena#releasingIntermediates}). */
  EARLY_RELEASE("earlyRelease");

  private final String property;
  private volatile boolean on;

  Lever(String property) {
    this.property = property;
    this.on = !"false".equals(System.getProperty("ablate." + property));
  }

  public boolean on() {
    return on;
  }

  public void set(boolean value) {
    on = value;
  }

  /** The name on the command line: {@code parallel-kernels}, {@code fused-norm}, {@code fused-softmax},
   * {@code fused-adam}, {@code split-gemm}, {@code fused-bias}, {@code spin-handoff}, {@code fused-cross-entropy},
   * {@code fused-attention}, {@code early-release}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The system property that sets the starting value, e.g. {@code ablate.fusedNorm}. */
  public String property() {
    return "ablate." + property;
  }

  /** The lever of this command-line name; an unknown name fails with the known ones. */
  public static Lever named(String name) {
    for (Lever lever : values()) {
      if (lever.cliName().equals(name)) {
        return lever;
      }
    }
    throw new IllegalArgumentException("unknown lever '" + name + "' — known: "
        + Arrays.stream(values()).map(Lever::cliName).collect(Collectors.joining(", ")));
  }
}
