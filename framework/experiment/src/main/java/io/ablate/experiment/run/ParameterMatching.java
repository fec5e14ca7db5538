package io.ablate.experiment.run;

import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.ConfigPaths;
import io.ablate.experiment.spec.SpecException;
import io.ablate.experiment.spec.Variant;
import io.ablate.spi.ComponentSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code match: params}: brings every variant's parameter count to the baseline's by choosing its
 * feed-forward width {@code model.ffn.hidden} (parameters are linear in it, so two builds give the
 * slope and the nearest integer width is taken). The variant keeps its name; its config, and so its
 * run identity, records the width. Both parameters and FLOPs per token are reported, since equal
 * parameters need not mean equal compute.
 */
public final class ParameterMatching {
  /** The architectures' default width when {@code model.d_model} is not set. */
  private static final int DEFAULT_D_MODEL = 64;

  private ParameterMatching() {}

  /** The plan itself without {@code match: params}, else a plan of matched variants. */
  public static StudyPlan apply(StudyPlan plan, Registry registry) {
    if (!"params".equals(plan.spec().match())) {
      return plan;
    }
    long seed = plan.spec().seeds().get(0);
    Map<List<ComponentSpec>, VariantSizes.Setup> setups = new HashMap<>();
    long target = VariantSizes.of(plan.baseline().config(), seed, registry, setups).parameters();
    Map<Object, Integer> widths = new HashMap<>();          // model section → matched width
    List<Variant> matched = new ArrayList<>();
    Variant baseline = plan.baseline();
    // trials of one variant share their model section, so each model is matched once
    for (Variant v : plan.variants()) {
      Object model = v.config().get("model");
      int hidden = widths.computeIfAbsent(model, m -> width(v, target, seed, registry, setups, plan));
      Map<String, Object> config = ConfigPaths.merge(v.config(), Map.of());
      ConfigPaths.set(config, "model.ffn.hidden", hidden);
      matched.add(new Variant(v.name(), new LinkedHashMap<>(v.factors()), config));
    }
    String name = baseline.name();
    if (matched.stream().anyMatch(v -> v.name().equals(name))) {
      baseline = matched.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    } else {                                                // tuned: the baseline's trials are what runs
      Map<String, Object> config = ConfigPaths.merge(baseline.config(), Map.of());
      ConfigPaths.set(config, "model.ffn.hidden", width(baseline, target, seed, registry, setups, plan));
      baseline = new Variant(name, baseline.factors(), config);
    }
    List<RunSpec> runs = new ArrayList<>();
    for (long s : plan.spec().seeds()) {
      for (Variant v : matched) {
        runs.add(RunKeys.spec(plan.spec().study(), v, s));
      }
    }
    return new StudyPlan(plan.spec(), matched, baseline, runs, plan.dir());
  }

  /** The ffn width that brings the variant nearest to {@code target} parameters. */
  private static int width(Variant v, long target, long seed, Registry registry,
      Map<List<ComponentSpec>, VariantSizes.Setup> setups, StudyPlan plan) {
    int h1 = currentWidth(v.config());
    int h2 = h1 + Math.max(8, h1 / 2);
    long p1 = parameters(v, h1, seed, registry, setups);
    long p2 = parameters(v, h2, seed, registry, setups);
    if (p1 == p2) {
      throw new SpecException(plan.spec().locate("match"), "match", "variant " + v.name()
          + ": its parameter count does not depend on model.ffn.hidden, so it cannot be matched");
    }
    double perUnit = (p2 - p1) / (double) (h2 - h1);
    long guess = Math.round(h1 + (target - p1) / perUnit);
    if (guess < 1) {
      throw new SpecException(plan.spec().locate("match"), "match", "variant " + v.name() + " has more parameters"
          + " than the baseline (" + target + ") even with model.ffn.hidden = 1; match to a larger baseline");
    }
    int best = -1;
    long bestGap = Long.MAX_VALUE;
    for (long h = Math.max(1, guess - 1); h <= Math.max(1, guess + 1); h++) {
      long gap = Math.abs(parameters(v, (int) h, seed, registry, setups) - target);
      if (gap < bestGap) {
        best = (int) h;
        bestGap = gap;
      }
    }
    return best;
  }

  private static long parameters(Variant v, int hidden, long seed, Registry registry,
      Map<List<ComponentSpec>, VariantSizes.Setup> setups) {
    Map<String, Object> config = ConfigPaths.merge(v.config(), Map.of());
    ConfigPaths.set(config, "model.ffn.hidden", hidden);
    return VariantSizes.parameters(config, seed, registry, setups);
  }

  /** {@code model.ffn.hidden}, or the feed-forward default of 4 × d_model when unset or 0. */
  private static int currentWidth(Map<String, Object> config) {
    Object hidden = ConfigPaths.get(config, "model.ffn.hidden");
    if (hidden instanceof Number n && n.intValue() > 0) {
      return n.intValue();
    }
    Object width = ConfigPaths.get(config, "model.d_model");
    return 4 * (width instanceof Number n ? n.intValue() : DEFAULT_D_MODEL);
  }
}
