package io.ablate.experiment.spec;

import io.ablate.core.config.ConfigBinder;
import io.ablate.core.config.Suggestions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    Map<String, Object> root = resolve(file.toAbsolutePath().normalize(), locations, new ArrayList<>(), null);
    for (String set : sets) {
      applySet(root, locations, set);
    }
    return parse(root, locations, file);
  }

  /** {@code --set path=value}: errors in it, and later errors about the value, blame the option, not the file. */
  private static void applySet(Map<String, Object> root, Map<String, Location> locations, String set) {
    Location origin = Location.option("--set " + set);
    int eq = set.indexOf('=');
    if (eq <= 0) {
      throw new SpecException(origin, null, "expected key.path=value, e.g. --set base.train.steps=100");
    }
    String path = set.substring(0, eq).trim();
    if (!path.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      throw new SpecException(origin, null, "'" + path + "' is not a key path (names joined by dots, e.g. "
          + "base.model.heads)");
    }
    String head = path.split("\\.")[0];
    if (!TOP_KEYS.contains(head) || head.equals("extends")) {
      throw new SpecException(origin, null, Suggestions.unknown("key", head,
          TOP_KEYS.stream().filter(k -> !k.equals("extends")).toList()));
    }
    Object value;
    try {
      value = ConfigBinder.parseYaml(set.substring(eq + 1));
    } catch (io.ablate.spi.ConfigException e) {
      throw new SpecException(origin, null, "the value is not valid YAML: " + set.substring(eq + 1));
    }
    ConfigPaths.set(root, path, value);
    locations.keySet().removeIf(k -> k.startsWith(path + "."));
    locations.put(path, origin);
    for (String p = path; p.contains("."); ) {
      p = p.substring(0, p.lastIndexOf('.'));
      locations.putIfAbsent(p, origin);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resolve(Path file, Map<String, Location> locations, List<Path> chain,
      Location includedAt) {
    if (chain.contains(file)) {
      throw new SpecException(includedAt, "extends", "cycle: " + String.join(" → ", chain.stream()
          .map(p -> p.getFileName().toString()).toList()) + " → " + file.getFileName());
    }
    if (includedAt != null && !Files.isRegularFile(file)) {
      throw new SpecException(includedAt, "extends", "no such spec file: " + file);
    }
    chain.add(file);
    YamlTree tree = YamlTree.read(file);
    if (!(tree.root() instanceof Map)) {
      throw new SpecException(new Location(file, 1, 1), null, "a study spec is a mapping of keys (study, base, …)");
    }
    Map<String, Object> own = (Map<String, Object>) tree.root();
    Object parent = own.remove("extends");
    Map<String, Object> merged = own;
    if (parent != null) {
      Location at = tree.locations().get("extends");
      if (!(parent instanceof String parentPath) || parentPath.isBlank()) {
        throw new SpecException(at, "extends", "expected a file path, got " + parent);
      }
      Path parentFile = file.getParent().resolve(parentPath).normalize();
      Map<String, Object> inherited = resolve(parentFile, locations, chain, at);
      inherited.remove("study");             // a study's name is its own
      merged = ConfigPaths.merge(inherited, own);
    }
    chain.remove(file);
    locations.putAll(tree.locations());
    return merged;
  }

  @SuppressWarnings("unchecked")
  private static StudySpec parse(Map<String, Object> root, Map<String, Location> loc, Path file) {
    checkKeys(root, "", TOP_KEYS, loc, file);
    String study = string(root, "study", loc, file, true);
    StudyNames.check(study, locate(loc, "study", file));
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
      grid.put(path, distinct(levels(levels, "ablate.grid." + path, loc, file), "ablate.grid." + path, loc, file));
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
      if (levels.isEmpty()) {
        throw new SpecException(locate(loc, where, file), where, "an empty zip group; give factor path → levels");
      }
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
      List<Object> items = (List<Object>) list(ablate, "exclude", loc, file);
      for (int i = 0; i < items.size(); i++) {
        if (!(items.get(i) instanceof Map<?, ?> e) || e.isEmpty()) {
          throw new SpecException(locate(loc, "ablate.exclude." + i, file), "ablate.exclude." + i,
              "expected a map of factor path → level, e.g. {model.norm.type: none}, got " + items.get(i));
        }
        exclude.add((Map<String, Object>) e);
      }
    }
    List<Design.Override> overrides = new ArrayList<>();
    if (ablate.get("overrides") != null) {
      List<Object> items = (List<Object>) list(ablate, "overrides", loc, file);
      for (int i = 0; i < items.size(); i++) {
        String where = "ablate.overrides." + i;
        if (!(items.get(i) instanceof Map<?, ?>)) {
          throw new SpecException(locate(loc, where, file), where, "expected {when: {...}, set: {...}}, got "
              + items.get(i));
        }
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

  /** A grid factor's levels, each once (two equal levels would make two variants with one name). */
  private static List<Object> distinct(List<Object> list, String where, Map<String, Location> loc, Path file) {
    for (int i = 0; i < list.size(); i++) {
      if (list.indexOf(list.get(i)) != i) {
        throw new SpecException(locate(loc, where + "." + i, file), where, "level " + list.get(i)
            + " is listed twice");
      }
    }
    return list;
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
      throw new SpecException(locate(loc, key, file), key, "expected text, got " + describe(v));
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
      throw new SpecException(locate(loc, where, file), where, "expected a mapping, got " + describe(v));
    }
    return (Map<String, Object>) v;
  }

  private static Object list(Map<String, Object> parent, String key, Map<String, Location> loc, Path file) {
    Object v = parent.get(key);
    if (!(v instanceof List)) {
      throw new SpecException(locate(loc, key, file), key, "expected a list, got " + describe(v));
    }
    return v;
  }

  /** A value as an error message shows it: its kind and a short rendering. */
  static String describe(Object v) {
    String kind = v instanceof Map ? "a mapping" : v instanceof List ? "a list" : v instanceof String ? "text"
        : v instanceof Number ? "a number" : v instanceof Boolean ? "true/false" : "nothing";
    String text = String.valueOf(v);
    return kind + (v == null ? "" : " (" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + ")");
  }

  private static Location locate(Map<String, Location> loc, String path, Path file) {
    return new StudySpec("x", "", Map.of(), Design.NONE, Map.of(), List.of(), List.of(), Tracking.NONE, loc,
        file, Map.of(), "none").locate(path);
  }
}
