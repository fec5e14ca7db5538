package io.ablate.bench;

import io.ablate.tensor.CpuInfo;

/**
 * The CPU's theoretical float32 FMA peak: cores × clock × FLOPs per cycle. A core has two FMA pipes;
 * each is 16 lanes × 2 FLOPs wide with AVX-512 on Intel Xeon since Skylake-SP and on AMD Zen 5, but
 * only 8 × 2 on AMD Zen 4 (family 25), which executes an AVX-512 instruction on 256-bit pipes, and
 * 8 × 2 with AVX2. The clock is the nominal one of /proc/cpuinfo (turbo and AVX-512 down-clocking both
 * ignored), so the figure is an estimate, stated as such: a measured GEMM above it means the cores ran
 * faster than nominal.
 *
 * @param ghz nominal clock; {@code flopsPerCycle} per core
 */
public record TheoreticalPeak(int cores, double ghz, int flopsPerCycle, String model) {

  public double gflops() {
    return cores * ghz * flopsPerCycle;
  }

  /** From /proc/cpuinfo; empty figures (0) where it cannot be read. */
  public static TheoreticalPeak ofThisMachine() {
    CpuInfo cpu = CpuInfo.ofThisMachine();
    return new TheoreticalPeak(Runtime.getRuntime().availableProcessors(), cpu.mhz() / 1000, flopsPerCycle(cpu),
        cpu.model());
  }

  /** float32 FLOPs one core can retire per cycle; 0 when the CPU is unknown. */
  static int flopsPerCycle(CpuInfo cpu) {
    if (cpu.flags().isEmpty()) {
      return 0;
    }
    boolean fma = cpu.has("fma") || cpu.has("avx512f");
    boolean zen4 = cpu.isAmd() && cpu.family() == 25;
    int lanes = cpu.has("avx512f") && !zen4 ? 16 : cpu.has("avx2") && fma ? 8 : 4;
    int pipes = fma ? 2 : 1;
    int flopsPerLane = fma ? 2 : 1;
    return lanes * pipes * flopsPerLane;
  }
}
