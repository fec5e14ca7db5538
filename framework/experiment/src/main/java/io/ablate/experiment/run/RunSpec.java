package io.ablate.experiment.run;

import io.ablate.experiment.spec.Variant;
import java.util.Map;

/**
 * One run of a study: a variant with one seed.
 *
 * @param id {@code <variant>--seed-<n>}, readable and unique within the study
 * @param hash identity of the run: its resolved config, seed and the code version
 */
public record RunSpec(String study, Variant variant, long seed, String id, String hash) {
  public Map<String, Object> config() {
    return variant.config();
  }
}
