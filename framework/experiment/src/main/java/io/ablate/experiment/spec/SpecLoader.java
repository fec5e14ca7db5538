package io.ablate.experiment.spec;

import io.ablate.core.config.ConfigBinder;
import io.ablate.core.config.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a study spec: resolves {@code extends:} (paths relative to the including file), applies
 * {@code --set path=value} overrides, and checks the document's structure. Every error carries the
 * file, line and column of the offending key, and suggestions for misspelt keys.
 */
public final class SpecLoader {
  static final List<String> TOP_KEYS = List.of("study", "description", "extends", "base", "ablate", "baseline",
      "seeds", "metrics", "tracking", "tune", "match");
  /** Train settings a study may tune per variant ({@code tune: {lr: [1e-3, 3e-3]}}). */
  public static final List<String> TUNE_KEYS = List.of("lr", "weight_decay", "warmup", "clip", "momentum");
  /** What {@code match:} can equalise across variants. */
  static final List<String> MATCH_KINDS = List.of("none", "params");
  static final List<String> TRACKING_KEYS = List.of("uri", "experiment");
  static final List<String> BASE_KEYS = List.of("task", "tokenizer", "model", "train");
  static final List<String> ABLATE_KEYS = List.of("grid", "zip", "exclude", "overrides");

  private SpecLoader() {}

  public static StudySpec load(Path file, List<String> sets) {
    Map<String, Location> locations = new LinkedHashMap<>();
    Map<String, Object> root = resolve(file.toAbsolutePath().normalize(), locations, new HashSet<>());
    Path origin = Path.of("--set");
    for (int i = 0; i < sets.size(); i++) {
      String set = sets.get(i);
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new SpecException(null, "--set " + set, "expected key.path=value, e.g. --set base.train.steps=100");
      }
      String path = set.substring(0, eq).trim();
      ConfigPaths.set(root, path, ConfigBinder.parseYaml(set.substring(eq + 1)));
      locations.put(path, new Location(origin, 1, i + 1));
    }
    return parse(root, locations, file);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resolve(Path file, Map<String, Location> locations, Set<Path> seen) {
    if (!seen.add(file)) {
      throw new SpecException(null, "extends", "cycle: " + file + " extends itself through " + seen);
    }
    YamlTree tree = YamlTree.read(file);
    if (!(tree.root() instanceof Map)) {
      throw new SpecException(new Location(file, 1, 1), null, "a study spec is a mapping of keys (study, base, …)");
    }
    Map<String, Object> own = (Map<String, Object>) tree.root();
    Object parent = own.remove("extends");
    Map<String, Object> merged = own;
    if (parent != null) {
      if (!(parent instanceof String parentPath)) {
        throw new SpecException(tree.locations().get("extends"), "extends", "expected a file path, got " + parent);
      }
      Path parentFile = file.getParent().resolve(parentPath).normalize();
      Map<String, Object> inherited = resolve(parentFile, locations, seen);
      inherited.remove("study");             // a study's name is its own
      merged = ConfigPaths.merge(inherited, own);
    }
    locations.putAll(tree.locations());
    return merged;
  }

  @SuppressWarnings("unchecked")
  private static StudySpec parse(Map<String, Object> root, Map<String, Location> loc, Path file) {
    checkKeys(root, "", TOP_KEYS, loc, file);
    String study = string(root, "study", loc, file, true);
    if (!study.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new SpecException(loc.get("study"), "study", "expected a lower-kebab-case name (it names the results "
          + "folder), got '" + study + "'");
    }
    String description = root.containsKey("description") ? string(root, "description", loc, file, false) : "";
    Map<String, Object> base = map(root, "base", loc, file, true);
    checkKeys(base, "base", BASE_KEYS, loc, file);
    for (String required : List.of("task", "model")) {
      if (!base.containsKey(required)) {
        throw new SpecException(locate(loc, "base", file), "base", "missing required key '" + required + "'");
      }
    }
    Design design = design(map(root, "ablate", loc, file, false), loc, file);
    Map<String, Object> baseline = map(root, "baseline", loc, file, false);
    List<Long> seeds = seeds(root.get("seeds"), loc, file);
    List<String> metrics = root.get("metrics") == null ? List.of()
        : ((List<Object>) list(root, "metrics", loc, file)).stream().map(String::valueOf).toList();
    Map<String, Object> trackingSection = map(root, "tracking", loc, file, false);
    checkKeys(trackingSection, "tracking", TRACKING_KEYS, loc, file);
    Tracking tracking = new Tracking(
        trackingSection.containsKey("uri") ? string(trackingSection, "uri", loc, file, false) : null,
        trackingSection.containsKey("experiment") ? string(trackingSection, "experiment", loc, file, false) : null);
    Map<String, List<Object>> tune = tune(map(root, "tune", loc, file, false), loc, file);
    String match = root.containsKey("match") ? string(root, "match", loc, file, false) : "none";
    if (!MATCH_KINDS.contains(match)) {
      throw new SpecException(locate(loc, "match", file), "match", Suggestions.unknown("match", match, MATCH_KINDS)
          + " (params: equalise parameter counts by adjusting each variant's model.ffn.hidden)");
    }
    return new StudySpec(study, description, base, design, baseline, seeds, metrics, tracking, Map.copyOf(loc),
        file, tune, match);
  }

  /** {@code tune:} key → candidate values; each key a train setting, each value a positive number. */
  private static Map<String, List<Object>> tune(Map<String, Object> section, Map<String, Location> loc, Path file) {
    checkKeys(section, "tune", TUNE_KEYS, loc, file);
    Map<String, List<Object>> tune = new LinkedHashMap<>();
    section.forEach((key, values) -> {
      String where = "tune." + key;
      List<Object> levels = levels(values, where, loc, file);
      for (int i = 0; i < levels.size(); i++) {
        if (!(levels.get(i) instanceof Number n) || !(n.doubleValue() >= 0)) {
          throw new SpecException(locate(loc, where + "." + i, file), where, "expected non-negative numbers, got "
              + levels.get(i));
        }
      }
      if (levels.stream().map(String::valueOf).distinct().count() < levels.size()) {
        throw new SpecException(locate(loc, where, file), where, "a value is listed twice: " + levels);
      }
      tune.put("train." + key, levels);
    });
    return tune;
  }

  @SuppressWarnings("unchecked")
  private static Design design(Map<String, Object> ablate, Map<String, Location> loc, Path file) {
    if (ablate.isEmpty()) {
      return Design.NONE;
    }
    checkKeys(ablate, "ablate", ABLATE_KEYS, loc, file);
    Map<String, List<Object>> grid = new LinkedHashMap<>();
    map(ablate, "grid", "ablate.grid", loc, file).forEach((path, levels) -> {
      checkFactorPath(path, "ablate.grid." + path, loc, file);
      grid.put(path, levels(levels, "ablate.grid." + path, loc, file));
    });
    List<Map<String, List<Object>>> zip = new ArrayList<>();
    List<Object> groups = ablate.get("zip") == null ? List.of() : (List<Object>) list(ablate, "zip", loc, file);
    for (int g = 0; g < groups.size(); g++) {
      String where = "ablate.zip." + g;
      if (!(groups.get(g) instanceof Map<?, ?> group)) {
        throw new SpecException(locate(loc, where, file), where, "expected a map of factor path → levels");
      }
      Map<String, List<Object>> levels = new LinkedHashMap<>();
      ((Map<String, Object>) group).forEach((path, v) -> {
        checkFactorPath(path, where + "." + path, loc, file);
        levels.put(path, levels(v, where + "." + path, loc, file));
      });
      int n = levels.values().iterator().next().size();
      levels.forEach((path, v) -> {
        if (v.size() != n) {
          throw new SpecException(locate(loc, where + "." + path, file), where + "." + path,
              "zipped factors need the same number of levels: " + v.size() + " here, " + n + " for the first");
        }
      });
      zip.add(levels);
    }
    List<Map<String, Object>> exclude = new ArrayList<>();
    if (ablate.get("exclude") != null) {
      for (Object e : (List<Object>) list(ablate, "exclude", loc, file)) {
        exclude.add((Map<String, Object>) e);
      }
    }
    List<Design.Override> overrides = new ArrayList<>();
    if (ablate.get("overrides") != null) {
      List<Object> items = (List<Object>) list(ablate, "overrides", loc, file);
      for (int i = 0; i < items.size(); i++) {
        String where = "ablate.overrides." + i;
        Map<String, Object> o = (Map<String, Object>) items.get(i);
        checkKeys(o, where, List.of("when", "set"), loc, file);
        overrides.add(new Design.Override(map(o, "when", where + ".when", loc, file),
            map(o, "set", where + ".set", loc, file)));
      }
    }
    return new Design(grid, zip, exclude, overrides);
  }

  private static void checkFactorPath(String path, String where, Map<String, Location> loc, Path file) {
    String head = path.split("\\.")[0];
    if (!BASE_KEYS.contains(head)) {
      throw new SpecException(locate(loc, where, file), where, "a factor is a path into base, starting with one of "
          + BASE_KEYS + (Suggestions.closest(head, BASE_KEYS) == null ? ""
          : " — did you mean '" + path.replaceFirst("^[^.]+", Suggestions.closest(head, BASE_KEYS)) + "'?"));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> levels(Object v, String where, Map<String, Location> loc, Path file) {
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw new SpecException(locate(loc, where, file), where, "expected a non-empty list of levels, got " + v);
    }
    return (List<Object>) list;
  }

  private static List<Long> seeds(Object v, Map<String, Location> loc, Path file) {
    if (v == null) {
      return List.of(1L);
    }
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw new SpecException(locate(loc, "seeds", file), "seeds", "expected a non-empty list of integers, e.g. [1, 2, 3]");
    }
    List<Long> seeds = new ArrayList<>();
    for (Object s : list) {
      if (!(s instanceof Number n) || n.doubleValue() != n.longValue()) {
        throw new SpecException(locate(loc, "seeds", file), "seeds", "expected integers, got " + s);
      }
      if (seeds.contains(n.longValue())) {
        throw new SpecException(locate(loc, "seeds", file), "seeds", "seed " + n + " is listed twice");
      }
      seeds.add(n.longValue());
    }
    return seeds;
  }

  static void checkKeys(Map<String, Object> map, String where, List<String> valid, Map<String, Location> loc,
      Path file) {
    for (String key : map.keySet()) {
      if (!valid.contains(key)) {
        String path = where.isEmpty() ? key : where + "." + key;
        throw new SpecException(locate(loc, path, file), path, Suggestions.unknown("key", key, valid));
      }
    }
  }

  private static String string(Map<String, Object> map, String key, Map<String, Location> loc, Path file,
      boolean required) {
    Object v = map.get(key);
    if (v == null && required) {
      throw new SpecException(new Location(file, 1, 1), key, "missing required key '" + key + "'");
    }
    if (!(v instanceof String s)) {
      throw new SpecException(locate(loc, key, file), key, "expected text, got " + v);
    }
    return s;
  }

  private static Map<String, Object> map(Map<String, Object> parent, String key, Map<String, Location> loc, Path file,
      boolean required) {
    if (parent.get(key) == null && required) {
      throw new SpecException(new Location(file, 1, 1), key, "missing required key '" + key + "'");
    }
    return map(parent, key, key, loc, file);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key, String where,
      Map<String, Location> loc, Path file) {
    Object v = parent.get(key);
    if (v == null) {
      return new LinkedHashMap<>();
    }
    if (!(v instanceof Map)) {
      throw new SpecException(locate(loc, where, file), where, "expected a mapping, got " + v);
    }
    return (Map<String, Object>) v;
  }

  private static Object list(Map<String, Object> parent, String key, Map<String, Location> loc, Path file) {
    Object v = parent.get(key);
    if (!(v instanceof List)) {
      throw new SpecException(locate(loc, key, file), key, "expected a list, got " + v);
    }
    return v;
  }

  private static Location locate(Map<String, Location> loc, String path, Path file) {
    return new StudySpec("x", "", Map.of(), Design.NONE, Map.of(), List.of(), List.of(), Tracking.NONE, loc,
        file, Map.of(), "none").locate(path);
  }
}
