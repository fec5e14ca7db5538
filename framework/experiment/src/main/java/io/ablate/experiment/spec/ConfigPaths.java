package io.ablate.experiment.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes nested maps by dotted path ({@code model.positional.type}). */
public final class ConfigPaths {
  private ConfigPaths() {}

  /** The value at the path, or null if any step is missing. */
  @SuppressWarnings("unchecked")
  public static Object get(Map<String, Object> root, String path) {
    Object node = root;
    for (String part : path.split("\\.")) {
      if (node instanceof String s && part.equals("type")) {
        return s;                                   // `positional: rotary` has type rotary
      }
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = ((Map<String, Object>) map).get(part);
    }
    return node;
  }

  /**
   * Sets the value at the path, creating maps on the way. A bare component name on the way
   * ({@code positional: rotary}) becomes {@code {type: rotary}}. Setting a {@code type} to a different
   * value drops that component's other options, which belonged to the old type.
   */
  @SuppressWarnings("unchecked")
  public static void set(Map<String, Object> root, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.get(parts[i]);
      if (child instanceof String s) {
        child = new LinkedHashMap<>(Map.of("type", s));
      } else if (!(child instanceof Map)) {
        child = new LinkedHashMap<>();
      } else {
        child = new LinkedHashMap<>((Map<String, Object>) child);
      }
      node.put(parts[i], child);
      node = (Map<String, Object>) child;
    }
    String last = parts[parts.length - 1];
    if (last.equals("type") && node.containsKey("type") && !node.get("type").equals(value)) {
      node.clear();
    }
    node.put(last, value);
  }

  /** Deep copy of nested maps and lists (values are immutable scalars). */
  @SuppressWarnings("unchecked")
  public static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> out.put(k, copy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }

  /** {@code over} merged onto {@code base}: maps merge key by key, anything else replaces. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> out = (Map<String, Object>) copy(base);
    over.forEach((k, v) -> {
      Object old = out.get(k);
      if (old instanceof Map<?, ?> oldMap && v instanceof Map<?, ?> newMap) {
        out.put(k, merge((Map<String, Object>) oldMap, (Map<String, Object>) newMap));
      } else {
        out.put(k, copy(v));
      }
    });
    return out;
  }

  /** Every leaf as path → value, in order. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> flatten(Map<String, Object> root) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("", root, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object node, Map<String, Object> out) {
    if (node instanceof Map<?, ?> map && !map.isEmpty()) {
      ((Map<String, Object>) map).forEach((k, v) -> flatten(prefix.isEmpty() ? k : prefix + "." + k, v, out));
    } else {
      out.put(prefix, node);
    }
  }
}
