package io.ablate.experiment.run;

import io.ablate.experiment.spec.ConfigPaths;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.experiment.spec.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's {@code tune:} section as runs: each variant is trained once per combination of the
 * tuned settings (a trial), named {@code <variant> [lr=0.003]}. Which trial stands for the variant
 * is decided on validation scores by {@link io.ablate.experiment.report.TrialSelection}.
 */
public final class Tuning {
  private static final String OPEN = " [";

  private Tuning() {}

  /** The trials of every variant, variant by variant; the variants themselves when nothing is tuned. */
  public static List<Variant> trials(StudySpec spec, List<Variant> variants) {
    if (spec.tune().isEmpty()) {
      return variants;
    }
    List<Map<String, Object>> settings = new ArrayList<>();
    settings.add(new LinkedHashMap<>());
    spec.tune().forEach((path, values) -> {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : settings) {
        for (Object value : values) {
          Map<String, Object> s = new LinkedHashMap<>(partial);
          s.put(path, value);
          next.add(s);
        }
      }
      settings.clear();
      settings.addAll(next);
    });
    List<Variant> trials = new ArrayList<>();
    for (Variant v : variants) {
      for (Map<String, Object> setting : settings) {
        Map<String, Object> config = ConfigPaths.merge(v.config(), Map.of());
        Map<String, Object> factors = new LinkedHashMap<>(v.factors());
        setting.forEach((path, value) -> {
          ConfigPaths.set(config, path, value);
          factors.put(path, value);
        });
        trials.add(new Variant(name(v.name(), setting), factors, config));
      }
    }
    return trials;
  }

  /** {@code positional=rotary [lr=0.003,warmup=100]}. */
  static String name(String variant, Map<String, Object> setting) {
    List<String> parts = new ArrayList<>();
    setting.forEach((path, value) -> parts.add(path.substring(path.indexOf('.') + 1) + "=" + value));
    return variant + OPEN + String.join(",", parts) + "]";
  }

  /** Whether a variant name is a trial's. */
  public static boolean isTrial(String name) {
    return name.endsWith("]") && name.contains(OPEN);
  }

  /** The variant a trial belongs to. */
  public static String variant(String trial) {
    return trial.substring(0, trial.lastIndexOf(OPEN));
  }

  /** A trial's setting, e.g. {@code lr=0.003}. */
  public static String setting(String trial) {
    return trial.substring(trial.lastIndexOf(OPEN) + OPEN.length(), trial.length() - 1);
  }
}
