package io.ablate.experiment.spec;

import java.util.Map;

/**
 * One point of the design.
 *
 * @param name readable and unique within the study, e.g. {@code positional=rotary,norm=rmsnorm}
 * @param factors factor path (relative to base) → level, in design order
 * @param config the base configuration with the factors and matching overrides applied
 */
public record Variant(String name, Map<String, Object> factors, Map<String, Object> config) {
  /** Whether every entry of {@code partial} (factor path → level) holds for this variant. */
  public boolean matches(Map<String, Object> partial) {
    for (Map.Entry<String, Object> e : partial.entrySet()) {
      Object level = factors.containsKey(e.getKey()) ? factors.get(e.getKey()) : ConfigPaths.get(config, e.getKey());
      if (!String.valueOf(level).equals(String.valueOf(e.getValue()))) {
        return false;
      }
    }
    return true;
  }
}
