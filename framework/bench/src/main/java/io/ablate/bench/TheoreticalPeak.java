package io.ablate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU's theoretical float32 FMA peak: cores × clock × FLOPs per cycle, where one core issues two
 * FMA instructions per cycle (two FMA ports, as on Intel Xeon since Skylake-SP and AMD Zen 4/5), each
 * 16 lanes × 2 FLOPs wide with AVX-512, 8 × 2 with AVX2. The clock is the nominal one of /proc/cpuinfo
 * (turbo and AVX-512 down-clocking both ignored), so the figure is an estimate, stated as such.
 *
 * @param ghz nominal clock; {@code flopsPerCycle} per core
 */
public record TheoreticalPeak(int cores, double ghz, int flopsPerCycle, String model) {

  public double gflops() {
    return cores * ghz * flopsPerCycle;
  }

  /** From /proc/cpuinfo; empty figures (0) where it cannot be read. */
  public static TheoreticalPeak ofThisMachine() {
    int cores = Runtime.getRuntime().availableProcessors();
    double mhz = 0;
    String model = "unknown CPU";
    String flags = "";
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).trim() : "";
        if (line.startsWith("cpu MHz") && mhz == 0) {
          mhz = Double.parseDouble(value);
        } else if (line.startsWith("model name") && model.equals("unknown CPU")) {
          model = value;
        } else if (line.startsWith("flags") && flags.isEmpty()) {
          flags = " " + value + " ";
        }
      }
    } catch (IOException | NumberFormatException e) {
      return new TheoreticalPeak(cores, 0, 0, model);
    }
    int lanes = flags.contains(" avx512f ") ? 16 : flags.contains(" avx2 ") && flags.contains(" fma ") ? 8 : 4;
    int fmaPorts = flags.contains(" fma ") || flags.contains(" avx512f ") ? 2 : 1;
    int flopsPerLane = flags.contains(" fma ") || flags.contains(" avx512f ") ? 2 : 1;
    return new TheoreticalPeak(cores, mhz / 1000, lanes * fmaPorts * flopsPerLane, model);
  }
}
