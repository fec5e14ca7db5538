package io.ablate.experiment.track;

import io.ablate.tracking.StoredRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits an MLflow experiment's Ablate runs into the configurations of the study that were run
 * into it. A variant's parent run stands for one resolved config (its run key); parents whose
 * configs agree on everything but the ablated factors, and that ran the same code, were one
 * study, and are compared with each other only. So a study re-run with {@code train.steps: 150}
 * after a run with 40 steps gives two groups, never one variant with the seeds of both.
 */
final class ConfigGroups {
  /** One configuration of the study: its variants' parent runs and their seed runs. */
  record Group(List<StoredRun> parents, List<StoredRun> seeds, String label, long lastStart) {}

  private ConfigGroups() {}

  /** The groups, the most recently run first; {@code label} names what sets each apart (empty if alone). */
  static List<Group> of(List<StoredRun> all) {
    List<StoredRun> parents = all.stream()
        .filter(r -> r.tag("mlflow.parentRunId") == null && r.tag(StudyTracking.VARIANT) != null).toList();
    Map<String, List<StoredRun>> children = new LinkedHashMap<>();
    for (StoredRun r : all) {
      if (r.tag(StudyTracking.SEED) != null && r.tag("mlflow.parentRunId") != null) {
        children.computeIfAbsent(r.tag("mlflow.parentRunId"), k -> new ArrayList<>()).add(r);
      }
    }
    Set<String> factorPaths = new TreeSet<>();
    for (StoredRun p : parents) {
      p.tags().keySet().stream().filter(k -> k.startsWith(FACTOR))
          .forEach(k -> factorPaths.add(k.substring(FACTOR.length())));
    }
    Map<Map<String, String>, List<StoredRun>> byBase = new LinkedHashMap<>();
    for (StoredRun p : parents) {
      if (children.containsKey(p.id())) {
        byBase.computeIfAbsent(base(p, factorPaths, children.get(p.id())), k -> new ArrayList<>()).add(p);
      }
    }
    List<Group> groups = new ArrayList<>();
    for (var entry : byBase.entrySet()) {
      List<StoredRun> ps = new ArrayList<>(entry.getValue());
      ps.sort(Comparator.comparingInt(r -> Integer.parseInt(r.tags().getOrDefault(StudyTracking.VARIANT_INDEX, "0"))));
      List<StoredRun> seeds = ps.stream().flatMap(p -> children.get(p.id()).stream())
          .sorted(Comparator.comparingLong(r -> Long.parseLong(r.tag(StudyTracking.SEED)))).toList();
      long last = seeds.stream().mapToLong(StoredRun::startTime).max().orElse(0);
      groups.add(new Group(List.copyOf(ps), seeds, label(entry.getKey(), byBase.keySet()), last));
    }
    groups.sort(Comparator.comparingLong(Group::lastStart).reversed());
    return groups;
  }

  private static final String FACTOR = "ablate.factor.";
  private static final String CODE = "code version";

  /** The parent's config without the ablated factors, and the code it ran. */
  private static Map<String, String> base(StoredRun parent, Set<String> factorPaths, List<StoredRun> seeds) {
    Map<String, String> base = new TreeMap<>();
    parent.params().forEach((path, value) -> {
      if (factorPaths.stream().noneMatch(f -> path.equals(f) || path.startsWith(f + "."))) {
        base.put(path, value);
      }
    });
    String code = parent.tag("ablate.code_version");
    if (code == null) {
      code = seeds.stream().map(s -> s.tag("ablate.code_version")).filter(Objects::nonNull).findFirst().orElse("");
    }
    base.put(CODE, code);
    return base;
  }

  /** The settings in which this base differs from the others ({@code train.steps=150}), or "" when alone. */
  private static String label(Map<String, String> base, Set<Map<String, String>> all) {
    if (all.size() < 2) {
      return "";
    }
    Set<String> keys = new TreeSet<>();
    all.forEach(b -> keys.addAll(b.keySet()));
    List<String> differing = new ArrayList<>();
    for (String key : keys) {
      if (key.equals(CODE)) {
        continue;
      }
      String value = base.get(key);
      if (all.stream().anyMatch(b -> !Objects.equals(b.get(key), value))) {
        differing.add(key + "=" + (value == null ? "(unset)" : value));
      }
    }
    if (differing.isEmpty() || all.stream().anyMatch(b -> b != base && sameButCode(b, base))) {
      differing.add(CODE + " " + base.get(CODE));
    }
    return String.join(", ", differing);
  }

  private static boolean sameButCode(Map<String, String> a, Map<String, String> b) {
    Map<String, String> x = new TreeMap<>(a);
    Map<String, String> y = new TreeMap<>(b);
    x.remove(CODE);
    y.remove(CODE);
    return x.equals(y);
  }
}
