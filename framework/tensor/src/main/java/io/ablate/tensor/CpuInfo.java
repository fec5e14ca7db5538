package io.ablate.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The first processor's entry of {@code /proc/cpuinfo}: what the BLAS kernel choice and the benchmark's
 * theoretical peak depend on.
 *
 * @param vendor {@code vendor_id}, e.g. {@code GenuineIntel}, {@code AuthenticAMD}; empty if unknown
 * @param family {@code cpu family} (AMD: 25 for Zen 3 and Zen 4, 26 for Zen 5); -1 if unknown
 * @param mhz the nominal clock {@code cpu MHz}; 0 if unknown
 */
public record CpuInfo(String vendor, int family, String model, double mhz, Set<String> flags) {

  public static final CpuInfo UNKNOWN = new CpuInfo("", -1, "unknown CPU", 0, Set.of());

  /** This machine's, or {@link #UNKNOWN} where /proc/cpuinfo cannot be read (not Linux). */
  public static CpuInfo ofThisMachine() {
    try {
      return parse(Files.readString(Path.of("/proc/cpuinfo")));
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /** Reads the first processor's fields of a /proc/cpuinfo text; missing fields keep UNKNOWN's values. */
  public static CpuInfo parse(String text) {
    String vendor = UNKNOWN.vendor;
    int family = UNKNOWN.family;
    String model = UNKNOWN.model;
    double mhz = UNKNOWN.mhz;
    Set<String> flags = UNKNOWN.flags;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        break;                                   // the end of the first processor's entry
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "vendor_id" -> vendor = value;
        case "cpu family" -> family = Integer.parseInt(value);
        case "model name" -> model = value;
        case "cpu MHz" -> mhz = Double.parseDouble(value);
        case "flags" -> flags = Arrays.stream(value.split("\\s+")).collect(Collectors.toUnmodifiableSet());
        default -> { }
      }
    }
    return new CpuInfo(vendor, family, model, mhz, flags);
  }

  public boolean isAmd() {
    return vendor.equals("AuthenticAMD");
  }

  public boolean isIntel() {
    return vendor.equals("GenuineIntel");
  }

  public boolean has(String flag) {
    return flags.contains(flag);
  }
}
