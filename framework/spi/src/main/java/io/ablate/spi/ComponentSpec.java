package io.ablate.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A reference to a component by name with its options, as written in YAML: either a bare name
 * ({@code attention: rotary}) or a map with a {@code type} key ({@code attention: {type: gqa,
 * kv_heads: 2}}). Config records use it for the components they compose.
 *
 * @param type the component name within its family
 * @param options the remaining keys, still unbound (plain Java maps, lists, strings, numbers, booleans)
 */
public record ComponentSpec(String type, Map<String, Object> options) {
  public ComponentSpec {
    Objects.requireNonNull(type, "type");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options == null ? Map.of() : options));
  }

  public static ComponentSpec of(String type) {
    return new ComponentSpec(type, Map.of());
  }

  /** A copy with one more option. */
  public ComponentSpec with(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(options);
    copy.put(key, value);
    return new ComponentSpec(type, copy);
  }

  @Override
  public String toString() {
    return options.isEmpty() ? type : type + options;
  }
}
