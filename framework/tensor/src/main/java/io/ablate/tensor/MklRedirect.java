package io.ablate.tensor;

import java.util.Locale;
import java.util.Optional;

/**
 * Intel's MKL in place of OpenBLAS for every BLAS call, on Intel CPUs, through JavaCPP's redirect:
 * with {@code org.bytedeco.openblas.load=mkl_rt} the OpenBLAS preset that ND4J and the engine's
 * {@code cblas_sgemm} calls go through loads {@code libmkl_rt} instead.
 *
 * <p>Measured on the small benchmark model (2 threads, Intel Xeon "Emerald Rapids", 2026-12-05,
 * docs/benchmarks.md): 343 → 316 ms/step, faster in 3 of 3 alternating rounds; on an AMD EPYC Zen 4
 * it was slower (401–412 against 356–371 ms/step, 2026-12-04), hence the choice by vendor. MKL runs
 * on libgomp ({@code MKL_THREADING_LAYER=GNU}), the OpenMP runtime ND4J already loaded, and in its
 * conditional-numerical-reproducibility mode ({@code MKL_CBWR=AUTO,STRICT}) so that a run gives the
 * same numbers whatever the alignment of its buffers, as OpenBLAS does.
 *
 * <p>{@code ABLATE_BLAS=openblas} (or {@code mkl}) overrides the choice; a value the user gave for
 * the JavaCPP property or either MKL variable is left alone. Like {@link BlasKernels} this must run
 * before ND4J loads.
 */
public final class MklRedirect {
  static final String LOAD_PROPERTY = "org.bytedeco.openblas.load";
  static final String CHOICE_VARIABLE = "ABLATE_BLAS";
  private static final String LIBRARY = "org/bytedeco/mkl/linux-x86_64/libmkl_rt.so.2";

  private MklRedirect() {}

  /** Whether MKL should replace OpenBLAS on this CPU, given what the user asked for (null: nothing). */
  static boolean wanted(CpuInfo cpu, String userChoice) {
    if (userChoice != null && !userChoice.isBlank()) {
      String choice = userChoice.trim().toLowerCase(Locale.ROOT);
      if (!choice.equals("mkl") && !choice.equals("openblas")) {
        throw new IllegalArgumentException(CHOICE_VARIABLE + "=" + userChoice + ": expected mkl or openblas");
      }
      return choice.equals("mkl");
    }
    return cpu.isIntel() && cpu.has("avx2");
  }

  /** Whether MKL's libraries are on the class path (the command line ships them; a library user may not). */
  static boolean available() {
    return MklRedirect.class.getClassLoader().getResource(LIBRARY) != null;
  }

  /**
   * Redirects BLAS to MKL when {@link #wanted} and {@link #available}; returns why MKL will load
   * (for benchmark output), or empty when OpenBLAS stays. A user who asks for MKL where it is not
   * shipped gets an {@link IllegalArgumentException} saying so.
   */
  static Optional<String> chooseForThisCpu() {
    String property = System.getProperty(LOAD_PROPERTY);
    if (property != null) {
      return property.contains("mkl") ? Optional.of(LOAD_PROPERTY + "=" + property + " set by the user") : Optional.empty();
    }
    String userChoice = System.getenv(CHOICE_VARIABLE);
    boolean asked = userChoice != null && !userChoice.isBlank();
    if (!wanted(CpuInfo.ofThisMachine(), userChoice)) {
      return Optional.empty();
    }
    if (!available()) {
      if (asked) {
        throw new IllegalArgumentException(CHOICE_VARIABLE + "=" + userChoice
            + ": MKL's libraries are not on the class path (" + LIBRARY + "); unset it to use OpenBLAS");
      }
      return Optional.empty();
    }
    setIfUnset("MKL_THREADING_LAYER", "GNU");
    setIfUnset("MKL_CBWR", "AUTO,STRICT");
    System.setProperty(LOAD_PROPERTY, "mkl_rt");
    return Optional.of(asked ? CHOICE_VARIABLE + "=" + userChoice.trim() + " set by the user"
        : "chosen for an Intel CPU; " + CHOICE_VARIABLE + "=openblas to use OpenBLAS");
  }

  private static void setIfUnset(String variable, String value) {
    if (System.getenv(variable) == null) {
      BlasKernels.setenv(variable, value);
    }
  }
}
