package io.ablate.experiment.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Expands a study's design into its variants: grid × zip groups, minus exclusions, plus overrides. */
public final class Variants {
  private Variants() {}

  /** How many variants the grid and zip groups make before exclusions (saturating, never overflowing). */
  public static long count(StudySpec spec) {
    long n = 1;
    for (List<Object> levels : spec.design().grid().values()) {
      n = times(n, levels.size());
    }
    for (Map<String, List<Object>> group : spec.design().zip()) {
      n = times(n, group.values().iterator().next().size());
    }
    return n;
  }

  /** {@code a × b}, or {@code Long.MAX_VALUE} where that overflows. */
  public static long times(long a, long b) {
    return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }

  public static List<Variant> expand(StudySpec spec) {
    List<Map<String, Object>> assignments = new ArrayList<>();
    assignments.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Object>> factor : spec.design().grid().entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : assignments) {
        for (Object level : factor.getValue()) {
          Map<String, Object> a = new LinkedHashMap<>(partial);
          a.put(factor.getKey(), level);
          next.add(a);
        }
      }
      assignments = next;
    }
    for (Map<String, List<Object>> group : spec.design().zip()) {
      int n = group.values().iterator().next().size();
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : assignments) {
        for (int i = 0; i < n; i++) {
          Map<String, Object> a = new LinkedHashMap<>(partial);
          for (Map.Entry<String, List<Object>> f : group.entrySet()) {
            a.put(f.getKey(), f.getValue().get(i));
          }
          next.add(a);
        }
      }
      assignments = next;
    }
    List<Variant> variants = new ArrayList<>();
    for (Map<String, Object> factors : assignments) {
      Map<String, Object> config = ConfigPaths.merge(spec.base(), Map.of());
      factors.forEach((path, level) -> ConfigPaths.set(config, path, ConfigPaths.copy(level)));
      Variant v = new Variant(name(factors), factors, config);
      if (spec.design().exclude().stream().anyMatch(v::matches)) {
        continue;
      }
      for (Design.Override o : spec.design().overrides()) {
        if (v.matches(o.when())) {
          o.set().forEach((path, value) -> ConfigPaths.set(config, path, ConfigPaths.copy(value)));
        }
      }
      variants.add(v);
    }
    if (variants.isEmpty()) {
      throw new SpecException(spec.locate("ablate.exclude"), "ablate.exclude", "every variant is excluded: the "
          + "design expands to nothing");
    }
    return variants;
  }

  /** The variant the others are compared with: the one matching {@code baseline:}, else the first. */
  public static Variant baseline(StudySpec spec, List<Variant> variants) {
    if (spec.baseline().isEmpty()) {
      return variants.get(0);
    }
    List<Variant> matching = variants.stream().filter(v -> v.matches(spec.baseline())).toList();
    if (matching.size() != 1) {
      throw new SpecException(spec.locate("baseline"), "baseline", (matching.isEmpty() ? "matches no variant"
          : "matches " + matching.size() + " variants " + matching.stream().map(Variant::name).toList()
          + "; give enough factors to pick one") + "; variants: " + variants.stream().map(Variant::name).toList());
    }
    return matching.get(0);
  }

  /** {@code positional=rotary,heads=4}: each factor by its path without the section and {@code .type}. */
  static String name(Map<String, Object> factors) {
    if (factors.isEmpty()) {
      return "base";
    }
    List<String> parts = new ArrayList<>();
    factors.forEach((path, level) -> parts.add(shortName(path) + "=" + level));
    return String.join(",", parts);
  }

  static String shortName(String path) {
    String p = path.contains(".") ? path.substring(path.indexOf('.') + 1) : path;
    return p.endsWith(".type") ? p.substring(0, p.length() - ".type".length()) : p;
  }
}
