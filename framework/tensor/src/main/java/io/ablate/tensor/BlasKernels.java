package io.ablate.tensor;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.Loader;

/**
 * Which OpenBLAS kernels this process's matrix products run on.
 *
 * <p>The OpenBLAS that ND4J 1.0.0-M2.1 ships (0.3.19) predates the newer AVX-512 CPUs and picks
 * kernels that leave most of them idle: AMD's Zen 4 it files under "Zen" (Haswell's AVX2 kernels),
 * and Intel's Sapphire/Emerald Rapids, whose model numbers it does not know, under "Prescott" (SSE3:
 * a 2-core Xeon measured 65 GFLOP/s instead of 315). Its SkylakeX (AVX-512) kernels made every
 * training step faster on both (small benchmark model: Zen 4 613 → 539 ms/step, Emerald Rapids
 * 861 → 335; docs/benchmarks.md), and they are what it picks itself on the AVX-512 Xeons it does
 * know. So on any CPU with AVX-512 F, BW, VL and DQ (what those kernels execute) this sets
 * {@code OPENBLAS_CORETYPE=SkylakeX}; elsewhere OpenBLAS keeps its own choice.
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
    boolean avx512 = cpu.has("avx512f") && cpu.has("avx512bw") && cpu.has("avx512vl") && cpu.has("avx512dq");
    return avx512 ? Optional.of("SkylakeX") : Optional.empty();
  }

  /**
   * Picks this process's BLAS before ND4J loads it: MKL on an Intel CPU where it ships
   * ({@link MklRedirect}), else OpenBLAS with {@code OPENBLAS_CORETYPE} set for this CPU unless the
   * user did.
   */
  public static void chooseForThisCpu() {
    Optional<String> mkl = MklRedirect.chooseForThisCpu();
    if (mkl.isPresent()) {
      description = "MKL (" + mkl.get() + ")";
      return;
    }
    String user = System.getenv(VARIABLE);
    if (user != null) {
      description = VARIABLE + "=" + user + " (set by the user)";
      return;
    }
    preferredCore(CpuInfo.ofThisMachine()).ifPresent(core -> {
      if (setenv(VARIABLE, core)) {
        description = VARIABLE + "=" + core + " (chosen for a CPU with AVX-512; set the variable to override)";
      }
    });
  }

  /** What {@link #chooseForThisCpu()} decided and the kernels the loaded OpenBLAS runs, for benchmark output. */
  public static String description() {
    Set<String> cores = loadedCores();
    return cores.isEmpty() ? description : String.join(", ", cores) + " — " + description;
  }

  /**
   * The core type each OpenBLAS library loaded in this process runs ({@code openblas_get_corename}),
   * e.g. {@code SkylakeX}; empty before ND4J has loaded or where the libraries cannot be asked.
   */
  public static Set<String> loadedCores() {
    Set<String> cores = new TreeSet<>();
    try {
      for (String path : Loader.getLoadedLibraries().values()) {
        if (path != null && Path.of(path).getFileName().toString().startsWith("libopenblas")) {
          Function corename = NativeLibrary.getInstance(path).getFunction("openblas_get_corename");
          cores.add(corename.invokeString(new Object[0], false).trim());
        }
      }
    } catch (LinkageError | RuntimeException e) {
      return Set.of();
    }
    return cores;
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
