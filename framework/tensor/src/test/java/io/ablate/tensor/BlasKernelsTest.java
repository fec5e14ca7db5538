package io.ablate.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlasKernelsTest {
  private static CpuInfo cpu(String vendor, int family, String... flags) {
    return new CpuInfo(vendor, family, "test CPU", 2600, Set.of(flags));
  }

  @Test
  void amdWithAvx512GetsTheAvx512Kernels() {
    assertEquals(Optional.of("SkylakeX"), BlasKernels.preferredCore(cpu("AuthenticAMD", 25, "avx2", "fma", "avx512f")));
    assertEquals(Optional.of("SkylakeX"), BlasKernels.preferredCore(CpuInfo.parse(CpuInfoTest.ZEN4)));
  }

  @Test
  void otherCpusKeepOpenBlasDetection() {
    assertEquals(Optional.empty(), BlasKernels.preferredCore(cpu("AuthenticAMD", 25, "avx2", "fma")));   // Zen 3
    assertEquals(Optional.empty(), BlasKernels.preferredCore(cpu("GenuineIntel", 6, "avx2", "fma", "avx512f")));
    assertEquals(Optional.empty(), BlasKernels.preferredCore(CpuInfo.UNKNOWN));
  }

  @Test
  void setenvReachesTheProcessEnvironmentThatNativeLibrariesRead() {
    String name = "ABLATE_BLAS_KERNELS_TEST";
    assertTrue(BlasKernels.setenv(name, "SkylakeX"));
    assertEquals("SkylakeX", BlasKernels.getenv(name));
  }
}
