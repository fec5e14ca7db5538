package io.ablate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ablate.tensor.CpuInfo;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TheoreticalPeakTest {
  private static CpuInfo cpu(String vendor, int family, String... flags) {
    return new CpuInfo(vendor, family, "test CPU", 2600, Set.of(flags));
  }

  @Test
  void flopsPerCycleFollowTheFmaPipesWidth() {
    assertEquals(64, TheoreticalPeak.flopsPerCycle(cpu("GenuineIntel", 6, "avx2", "fma", "avx512f")));
    assertEquals(64, TheoreticalPeak.flopsPerCycle(cpu("AuthenticAMD", 26, "avx2", "fma", "avx512f")));   // Zen 5
    assertEquals(32, TheoreticalPeak.flopsPerCycle(cpu("AuthenticAMD", 25, "avx2", "fma", "avx512f")));   // Zen 4
    assertEquals(32, TheoreticalPeak.flopsPerCycle(cpu("AuthenticAMD", 25, "avx2", "fma")));              // Zen 3
    assertEquals(4, TheoreticalPeak.flopsPerCycle(cpu("GenuineIntel", 6, "sse2")));
    assertEquals(0, TheoreticalPeak.flopsPerCycle(CpuInfo.UNKNOWN));
  }

  @Test
  void peakIsCoresTimesClockTimesFlopsPerCycle() {
    assertEquals(2 * 2.6 * 32, new TheoreticalPeak(2, 2.6, 32, "AMD EPYC").gflops(), 1e-9);
  }
}
