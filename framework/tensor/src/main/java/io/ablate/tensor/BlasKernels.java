package io.ablate.tensor;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Optional;

/**
 * Which OpenBLAS kernels this process's matrix products run on.
 *
 * <p>The OpenBLAS that ND4J 1.0.0-M2.1 ships (0.3.19) predates AMD's Zen 4 and files it under "Zen",
 * whose kernels are the AVX2 ones of Haswell, although Zen 4 executes AVX-512. Its SkylakeX
 * (AVX-512) kernels made every training step faster on an AMD EPYC Zen 4 (2 cores: the small
 * benchmark model 613 → 539 ms/step and tiny 28.0 → 25.8, means of four interleaved rounds,
 * docs/benchmarks.md, 2026-12-04), and later OpenBLAS releases map Zen 4 to them as well. So on an
 * AMD CPU with AVX-512 this sets {@code OPENBLAS_CORETYPE=SkylakeX}; elsewhere (Intel's AVX-512
 * parts are already detected as SkylakeX) OpenBLAS keeps its own choice.
 *
 * <p>OpenBLAS reads the variable once, when its library loads, so {@link #chooseForThisCpu()} sets
 * it in the process's own environment (libc {@code setenv}) and must run before ND4J is first used:
 * the command line's {@code main} calls it first. A value the user set is left alone.
 */
public final class BlasKernels {
  static final String VARIABLE = "OPENBLAS_CORETYPE";

  private static volatile String description = "OpenBLAS's own choice";

  private BlasKernels() {}

  /** The OpenBLAS core type to force on this CPU, or empty to keep OpenBLAS's detection. */
  static Optional<String> preferredCore(CpuInfo cpu) {
    return cpu.isAmd() && cpu.has("avx512f") ? Optional.of("SkylakeX") : Optional.empty();
  }

  /** Sets {@code OPENBLAS_CORETYPE} for this CPU unless the user did; call before ND4J loads. */
  public static void chooseForThisCpu() {
    String user = System.getenv(VARIABLE);
    if (user != null) {
      description = VARIABLE + "=" + user + " (set by the user)";
      return;
    }
    preferredCore(CpuInfo.ofThisMachine()).ifPresent(core -> {
      if (setenv(VARIABLE, core)) {
        description = VARIABLE + "=" + core + " (chosen for an AMD CPU with AVX-512; set the variable to override)";
      }
    });
  }

  /** What {@link #chooseForThisCpu()} decided, for benchmark output. */
  public static String description() {
    return description;
  }

  /** libc's setenv for this process; false where it cannot be called (no libc, no JNA natives). */
  static boolean setenv(String name, String value) {
    try {
      return LibC.INSTANCE.setenv(name, value, 1) == 0;
    } catch (LinkageError e) {
      return false;
    }
  }

  /** libc's getenv, which sees what {@link #setenv} wrote (Java's System.getenv does not). */
  static String getenv(String name) {
    return LibC.INSTANCE.getenv(name);
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.loadLibrary("c", LibC.class);

    int setenv(String name, String value, int overwrite);

    String getenv(String name);
  }
}
