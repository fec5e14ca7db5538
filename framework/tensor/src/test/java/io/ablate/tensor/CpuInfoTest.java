package io.ablate.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuInfoTest {
  /** Two processors' entries, as /proc/cpuinfo on a 2-vCPU AMD EPYC (Zen 4) guest prints them (abridged). */
  static final String ZEN4 = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      cpu family\t: 25
      model\t\t: 17
      model name\t: AMD EPYC
      cpu MHz\t\t: 2596.096
      flags\t\t: fpu sse sse2 avx fma avx2 avx512f avx512dq avx512bw avx512vl

      processor\t: 1
      vendor_id\t: GenuineIntel
      cpu family\t: 6
      flags\t\t: fpu sse
      """;

  /** Read off a 2-vCPU KVM guest on 2026-12-05 (model 207; flags shortened). */
  static final String EMERALD_RAPIDS = """
      processor\t: 0
      vendor_id\t: GenuineIntel
      cpu family\t: 6
      model\t\t: 207
      model name\t: Intel(R) Xeon(R) Processor
      cpu MHz\t\t: 2300.000
      flags\t\t: fpu sse sse2 avx fma avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 avx512_fp16
      """;

  @Test
  void readsTheFirstProcessorsEntryOnly() {
    CpuInfo cpu = CpuInfo.parse(ZEN4);
    assertEquals("AuthenticAMD", cpu.vendor());
    assertEquals(25, cpu.family());
    assertEquals("AMD EPYC", cpu.model());
    assertEquals(2596.096, cpu.mhz(), 1e-9);
    assertTrue(cpu.isAmd());
    assertTrue(cpu.has("avx512f"));
    assertTrue(cpu.has("fma"));
    assertFalse(cpu.has("avx512"));   // whole flags, not prefixes
  }

  @Test
  void missingFieldsKeepUnknownValues() {
    CpuInfo cpu = CpuInfo.parse("processor\t: 0\nvendor_id\t: GenuineIntel\n");
    assertEquals("GenuineIntel", cpu.vendor());
    assertEquals(-1, cpu.family());
    assertEquals(0, cpu.mhz());
    assertTrue(cpu.flags().isEmpty());
    assertFalse(cpu.isAmd());
  }
}
