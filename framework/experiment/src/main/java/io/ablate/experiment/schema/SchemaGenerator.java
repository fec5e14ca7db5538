package io.ablate.experiment.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ablate.core.config.ConfigBinder;
import io.ablate.core.config.KeyNames;
import io.ablate.core.plugin.Component;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.train.TrainConfig;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Family;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of a study spec, generated from the registered components, so that
 * editors complete and check component names and their keys. Nested component options are typed by
 * their key name: {@code positional}, {@code attention}, {@code norm}, {@code ffn}, {@code embedding}.
 */
public final class SchemaGenerator {
  /** Config keys whose value is a component of a known family. */
  static final Map<String, Family<?>> COMPONENT_KEYS = Map.of(
      "positional", Family.POSITIONAL, "attention", Family.ATTENTION, "norm", Family.NORMALIZATION,
      "normalization", Family.NORMALIZATION, "ffn", Family.FEEDFORWARD, "feedforward", Family.FEEDFORWARD,
      "embedding", Family.EMBEDDING, "tokenizer", Family.TOKENIZER);

  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaGenerator() {}

  public static ObjectNode generate(Registry registry) {
    ObjectNode root = JSON.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("title", "Ablate study");
    root.put("type", "object");
    root.putArray("required").add("study").add("base");
    root.put("additionalProperties", false);
    ObjectNode props = root.putObject("properties");
    props.putObject("study").put("type", "string").put("pattern", "^[a-z0-9]+(-[a-z0-9]+)*$")
        .put("description", "lower-kebab-case name; results go to results/<study>/");
    props.putObject("description").put("type", "string");
    props.putObject("extends").put("type", "string").put("description", "a spec file this one builds on");
    ObjectNode base = props.putObject("base");
    base.put("type", "object").put("additionalProperties", false);
    base.putArray("required").add("task").add("model");
    ObjectNode baseProps = base.putObject("properties");
    baseProps.putObject("task").put("$ref", "#/$defs/task");
    baseProps.putObject("tokenizer").put("$ref", "#/$defs/tokenizer");
    baseProps.putObject("model").put("$ref", "#/$defs/model");
    baseProps.set("train", recordSchema(TrainConfig.class));
    props.set("ablate", ablate());
    props.putObject("baseline").put("type", "object").put("description", "factor levels of the baseline variant");
    ObjectNode seeds = props.putObject("seeds");
    seeds.put("type", "array").put("minItems", 1).putObject("items").put("type", "integer");
    props.putObject("metrics").put("type", "array").putObject("items").put("type", "string");
    ObjectNode tracking = props.putObject("tracking");
    tracking.put("type", "object").put("additionalProperties", false)
        .put("description", "where runs are logged; --tracking-uri and MLFLOW_TRACKING_URI override");
    tracking.putObject("properties").<ObjectNode>set("uri", new ObjectMapper().createObjectNode().put("type", "string")
        .put("description", "http(s)://host:port (MLflow server), a folder (local MLflow file store), or none"))
        .set("experiment", new ObjectMapper().createObjectNode().put("type", "string")
            .put("description", "MLflow experiment name (default: the study's name)"));
    ObjectNode tune = props.putObject("tune");
    tune.put("type", "object").put("additionalProperties", false)
        .put("description", "train settings swept per variant; each variant is represented by its value with "
            + "the best validation score");
    ObjectNode tuneProps = tune.putObject("properties");
    for (String key : io.ablate.experiment.spec.SpecLoader.TUNE_KEYS) {
      tuneProps.putObject(key).put("type", "array").put("minItems", 1).putObject("items").put("type", "number")
          .put("minimum", 0);
    }
    props.putObject("match").put("type", "string").put("description",
        "params: equalise parameter counts across variants by adjusting model.ffn.hidden").putArray("enum")
        .add("none").add("params");
    ObjectNode defs = root.putObject("$defs");
    for (Family<?> family : Family.ALL) {
      if (family != Family.ARCHITECTURE) {
        defs.set(family.id(), family(registry, family));
      }
    }
    defs.set("model", model(registry));
    return root;
  }

  /** Factor designs: grid, zip, exclude, overrides (factor paths are paths into base). */
  private static ObjectNode ablate() {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "object").put("additionalProperties", false);
    ObjectNode props = node.putObject("properties");
    ObjectNode grid = props.putObject("grid");
    grid.put("type", "object").put("description", "factor path → levels; every combination runs");
    grid.putObject("additionalProperties").put("type", "array").put("minItems", 1);
    ObjectNode zip = props.putObject("zip");
    zip.put("type", "array").put("description", "groups of factors whose i-th levels go together");
    zip.putObject("items").put("type", "object").putObject("additionalProperties").put("type", "array");
    ObjectNode exclude = props.putObject("exclude");
    exclude.put("type", "array").putObject("items").put("type", "object");
    ObjectNode overrides = props.putObject("overrides");
    overrides.put("type", "array");
    ObjectNode item = overrides.putObject("items");
    item.put("type", "object").put("additionalProperties", false);
    item.putObject("properties").set("when", JSON.createObjectNode().put("type", "object"));
    ((ObjectNode) item.get("properties")).set("set", JSON.createObjectNode().put("type", "object"));
    item.putArray("required").add("when").add("set");
    return node;
  }

  /** A component of a family: its bare name, or a map with {@code type} and that component's keys. */
  private static ObjectNode family(Registry registry, Family<?> family) {
    ObjectNode node = JSON.createObjectNode();
    ArrayNode anyOf = node.putArray("anyOf");
    ObjectNode names = anyOf.addObject().put("type", "string");
    ArrayNode enumNode = names.putArray("enum");
    for (Component c : registry.list(family)) {
      enumNode.add(c.name());
      ObjectNode option = recordSchema(c.factory().configType());
      ((ObjectNode) option.get("properties")).putObject("type").put("const", c.name())
          .put("description", c.description());
      ((ArrayNode) option.withArray("required")).insert(0, "type");
      anyOf.add(option);
    }
    return node;
  }

  /** {@code model:} holds an architecture's keys plus {@code architecture: <name>}. */
  private static ObjectNode model(Registry registry) {
    ObjectNode node = JSON.createObjectNode();
    ArrayNode oneOf = node.putArray("oneOf");
    for (Component c : registry.list(Family.ARCHITECTURE)) {
      ObjectNode option = recordSchema(c.factory().configType());
      ObjectNode arch = ((ObjectNode) option.get("properties")).putObject("architecture");
      arch.put("description", c.description());
      ArrayNode either = arch.putArray("anyOf");
      either.addObject().put("const", c.name());
      ObjectNode typed = either.addObject().put("type", "object");
      typed.putObject("properties").putObject("type").put("const", c.name());
      typed.putArray("required").add("type");
      ((ArrayNode) option.withArray("required")).insert(0, "architecture");
      oneOf.add(option);
    }
    return node;
  }

  private static ObjectNode recordSchema(Class<? extends Record> type) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "object");
    node.put("additionalProperties", false);
    ObjectNode props = node.putObject("properties");
    ArrayNode required = node.putArray("required");
    for (RecordComponent rc : type.getRecordComponents()) {
      String key = KeyNames.toSnake(rc.getName());
      ObjectNode p = valueSchema(rc.getGenericType(), key);
      Doc doc = rc.getAnnotation(Doc.class);
      if (doc != null) {
        p.put("description", doc.value());
      }
      Default d = rc.getAnnotation(Default.class);
      if (d == null) {
        required.add(key);
      } else if (!Default.NULL.equals(d.value())) {
        Object parsed = ConfigBinder.parseYaml(d.value());
        p.set("default", JSON.valueToTree(parsed));
      }
      props.set(key, p);
    }
    return node;
  }

  private static ObjectNode valueSchema(Type type, String key) {
    ObjectNode p = JSON.createObjectNode();
    if (type instanceof ParameterizedType pt && List.class.isAssignableFrom((Class<?>) pt.getRawType())) {
      p.put("type", "array");
      p.set("items", valueSchema(pt.getActualTypeArguments()[0], key));
      return p;
    }
    if (!(type instanceof Class<?> c)) {
      return p;
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      p.put("type", "integer");
    } else if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
      p.put("type", "number");
    } else if (c == boolean.class || c == Boolean.class) {
      p.put("type", "boolean");
    } else if (c == String.class) {
      p.put("type", "string");
    } else if (c.isEnum()) {
      ArrayNode values = p.putArray("enum");
      for (Object e : c.getEnumConstants()) {
        values.add(((Enum<?>) e).name().toLowerCase(Locale.ROOT));
      }
    } else if (c == ComponentSpec.class) {
      Family<?> family = COMPONENT_KEYS.get(key);
      if (family != null) {
        p.put("$ref", "#/$defs/" + family.id());
      } else {
        p.putArray("anyOf").add(JSON.createObjectNode().put("type", "string"))
            .add(JSON.createObjectNode().put("type", "object"));
      }
    }
    return p;
  }

  public static String toJson(JsonNode schema) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
