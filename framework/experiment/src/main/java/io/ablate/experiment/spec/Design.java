package io.ablate.experiment.spec;

import java.util.List;
import java.util.Map;

/**
 * The factors of a study.
 *
 * @param grid factor path → levels; every combination runs
 * @param zip groups of factors whose levels go together (the i-th level of each), each group one factor
 * @param exclude partial assignments; a variant matching all entries of one is dropped
 * @param overrides extra settings for the variants matching {@code when}
 */
public record Design(Map<String, List<Object>> grid, List<Map<String, List<Object>>> zip,
    List<Map<String, Object>> exclude, List<Override> overrides) {
  /** {@code set} applies to every variant whose factors match all of {@code when}. */
  public record Override(Map<String, Object> when, Map<String, Object> set) {}

  public static final Design NONE = new Design(Map.of(), List.of(), List.of(), List.of());
}
