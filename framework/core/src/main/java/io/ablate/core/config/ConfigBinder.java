package io.ablate.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a component's options (plain maps from YAML) to its config record, and back.
 *
 * <p>Keys are the record components in snake_case. A missing key takes its {@link Default}; a
 * missing key without one is an error; an unknown key is an error that suggests the nearest key and
 * lists the valid ones. Values are converted strictly (no float → int truncation); enums are matched
 * case-insensitively ({@code sqrt_dk} → {@code SQRT_DK}).
 */
public final class ConfigBinder {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .addModule(new SimpleModule().addDeserializer(ComponentSpec.class, new SpecDeserializer()))
      .build();

  private ConfigBinder() {}

  /**
   * @param where what is being configured, for messages, e.g. {@code attention 'mha' (model.attention)}
   */
  public static <C extends Record> C bind(Class<C> type, Map<String, Object> options, String where) {
    RecordComponent[] components = type.getRecordComponents();
    List<String> keys = Arrays.stream(components).map(c -> KeyNames.toSnake(c.getName())).toList();
    for (String given : options.keySet()) {
      if (!keys.contains(given)) {
        throw new ConfigException(where + ": " + Suggestions.unknown("key", given, keys));
      }
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String key = keys.get(i);
      Object raw;
      if (options.containsKey(key)) {
        raw = options.get(key);
      } else {
        Default d = c.getAnnotation(Default.class);
        if (d == null) {
          throw new ConfigException(where + ": missing required key '" + key + "' (" + typeName(c.getGenericType())
              + describe(c) + ")");
        }
        raw = parseDefault(d.value(), type, key);
      }
      args[i] = convert(raw, c.getGenericType(), where, key);
    }
    try {
      Constructor<C> constructor = type.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      constructor.setAccessible(true);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new ConfigException(where + ": " + cause.getMessage(), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct config record " + type.getName(), e);
    }
  }

  /** The config as plain snake_case options; {@code bind(type, unbind(c), …)} equals {@code c}. */
  public static Map<String, Object> unbind(Record config) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (RecordComponent c : config.getClass().getRecordComponents()) {
      try {
        c.getAccessor().setAccessible(true);
        out.put(KeyNames.toSnake(c.getName()), plain(c.getAccessor().invoke(config)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** The keys of a config record, for listings and schemas. */
  public static List<ConfigKey> describe(Class<? extends Record> type) {
    List<ConfigKey> keys = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      Default d = c.getAnnotation(Default.class);
      Doc doc = c.getAnnotation(Doc.class);
      String defaultValue = d == null ? null : (Default.NULL.equals(d.value()) ? "null" : d.value());
      keys.add(new ConfigKey(KeyNames.toSnake(c.getName()), typeName(c.getGenericType()), defaultValue,
          d == null, doc == null ? "" : doc.value()));
    }
    return keys;
  }

  /** Parses a YAML scalar or flow collection into plain Java objects. */
  public static Object parseYaml(String text) {
    try {
      return YAML.readValue(text, Object.class);
    } catch (IOException e) {
      throw new ConfigException("not valid YAML: " + text + " (" + e.getMessage() + ")", e);
    }
  }

  private static Object parseDefault(String text, Class<?> type, String key) {
    if (Default.NULL.equals(text)) {
      return null;
    }
    try {
      return YAML.readValue(text, Object.class);
    } catch (IOException e) {
      throw new IllegalStateException("bad @Default(\"" + text + "\") on " + type.getName() + "." + key, e);
    }
  }

  private static Object convert(Object raw, Type target, String where, String key) {
    if (raw == null) {
      if (target instanceof Class<?> cls && cls.isPrimitive()) {
        throw new ConfigException(where + ": key '" + key + "' must be " + typeName(target) + ", got null");
      }
      return null;
    }
    JavaType javaType = MAPPER.constructType(target);
    try {
      return MAPPER.convertValue(raw, javaType);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": key '" + key + "' must be " + typeName(target) + ", got "
          + describeValue(raw), e);
    }
  }

  private static String describeValue(Object raw) {
    if (raw instanceof String s) {
      return "'" + s + "'";
    }
    return String.valueOf(raw);
  }

  private static String describe(RecordComponent c) {
    Doc doc = c.getAnnotation(Doc.class);
    return doc == null ? "" : ": " + doc.value();
  }

  /** Human type names: int, float, bool, string, one of [a, b], component, list&lt;int&gt;, map. */
  static String typeName(Type type) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (List.class.isAssignableFrom(raw)) {
        return "list<" + typeName(p.getActualTypeArguments()[0]) + ">";
      }
      if (Map.class.isAssignableFrom(raw)) {
        return "map<" + typeName(p.getActualTypeArguments()[0]) + ", " + typeName(p.getActualTypeArguments()[1]) + ">";
      }
      return raw.getSimpleName().toLowerCase(Locale.ROOT);
    }
    Class<?> c = (Class<?>) type;
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return "int";
    }
    if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
      return "float";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "bool";
    }
    if (c == String.class) {
      return "string";
    }
    if (c == ComponentSpec.class) {
      return "component";
    }
    if (c.isEnum()) {
      return "one of " + Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT))
          .toList();
    }
    if (c.isArray()) {
      return "list<" + typeName(c.getComponentType()) + ">";
    }
    return c.getSimpleName().toLowerCase(Locale.ROOT);
  }

  /** Converts config values to what YAML would hold: enums lower-case, specs as maps, records as maps. */
  private static Object plain(Object value) {
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    if (value instanceof ComponentSpec spec) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("type", spec.type());
      map.putAll(spec.options());
      return map;
    }
    if (value instanceof Record r) {
      return unbind(r);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ConfigBinder::plain).toList();
    }
    return value;
  }

  /** {@code rotary} or {@code {type: gqa, kv_heads: 2}} → {@link ComponentSpec}. */
  private static final class SpecDeserializer extends JsonDeserializer<ComponentSpec> {
    @Override
    public ComponentSpec deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
      JsonNode node = parser.readValueAsTree();
      if (node.isTextual()) {
        return ComponentSpec.of(node.asText());
      }
      if (node.isObject() && node.hasNonNull("type") && node.get("type").isTextual()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> options = MAPPER.convertValue(node, LinkedHashMap.class);
        String type = (String) options.remove("type");
        return new ComponentSpec(type, options);
      }
      throw JsonMappingException.from(parser, "expected a component name or a map with a 'type' key, got " + node);
    }
  }
}
