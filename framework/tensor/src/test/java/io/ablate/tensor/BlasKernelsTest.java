package io.ablate.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlasKernelsTest {
  private static CpuInfo cpu(String vendor, int family, String... flags) {
    return new CpuInfo(vendor, family, "test CPU", 2600, Set.of(flags));
  }

  @Test
  void cpusWithAvx512GetTheAvx512Kernels() {
    assertEquals(Optional.of("SkylakeX"), BlasKernels.preferredCore(CpuInfo.parse(CpuInfoTest.ZEN4)));
    assertEquals(Optional.of("SkylakeX"), BlasKernels.preferredCore(CpuInfo.parse(CpuInfoTest.EMERALD_RAPIDS)));
  }

  @Test
  void otherCpusKeepOpenBlasDetection() {
    assertEquals(Optional.empty(), BlasKernels.preferredCore(cpu("AuthenticAMD", 25, "avx2", "fma")));   // Zen 3
    // AVX-512 F alone (Knights Landing) lacks what the SkylakeX kernels execute
    assertEquals(Optional.empty(), BlasKernels.preferredCore(cpu("GenuineIntel", 6, "avx2", "fma", "avx512f")));
    assertEquals(Optional.empty(), BlasKernels.preferredCore(CpuInfo.UNKNOWN));
  }

  @Test
  void theLoadedOpenBlasNamesItsKernels() {
    org.nd4j.linalg.factory.Nd4j.zeros(2, 2).mmul(org.nd4j.linalg.factory.Nd4j.ones(2, 2));   // loads ND4J and its OpenBLAS
    assertFalse(BlasKernels.loadedCores().isEmpty(), "no OpenBLAS answered openblas_get_corename");
    assertTrue(BlasKernels.description().startsWith(String.join(", ", BlasKernels.loadedCores())));
  }

  @Test
  void setenvReachesTheProcessEnvironmentThatNativeLibrariesRead() {
    String name = "ABLATE_BLAS_KERNELS_TEST";
    assertTrue(BlasKernels.setenv(name, "SkylakeX"));
    assertEquals("SkylakeX", BlasKernels.getenv(name));
  }
}
