package io.ablate.experiment.spec;

import io.ablate.core.config.ConfigBinder;
import io.ablate.experiment.train.TrainConfig;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sections of a resolved variant config, as the runner uses them. */
public final class Sections {
  private Sections() {}

  public static ComponentSpec task(Map<String, Object> config) {
    return component(config.get("task"), "base.task", null);
  }

  public static ComponentSpec tokenizer(Map<String, Object> config) {
    return component(config.get("tokenizer"), "base.tokenizer", "char");
  }

  /** {@code model:} is the architecture's config, with the architecture's name under {@code architecture}. */
  @SuppressWarnings("unchecked")
  public static ComponentSpec architecture(Map<String, Object> config) {
    Object model = config.get("model");
    if (!(model instanceof Map<?, ?> map)) {
      throw new ConfigException("base.model: expected a mapping with an 'architecture' key, got " + model);
    }
    Map<String, Object> options = new LinkedHashMap<>((Map<String, Object>) map);
    Object arch = options.remove("architecture");
    ComponentSpec named = component(arch, "base.model.architecture", null);
    options.putAll(named.options());
    return new ComponentSpec(named.type(), options);
  }

  @SuppressWarnings("unchecked")
  public static TrainConfig train(Map<String, Object> config) {
    Object train = config.get("train");
    Map<String, Object> options = train == null ? Map.of() : (Map<String, Object>) train;
    return ConfigBinder.bind(TrainConfig.class, options, "base.train");
  }

  @SuppressWarnings("unchecked")
  static ComponentSpec component(Object value, String where, String fallback) {
    if (value == null) {
      if (fallback != null) {
        return ComponentSpec.of(fallback);
      }
      throw new ConfigException(where + ": missing; give a component name or {type: name, …}");
    }
    if (value instanceof String name) {
      return ComponentSpec.of(name);
    }
    if (value instanceof Map<?, ?> map && map.get("type") instanceof String type) {
      Map<String, Object> options = new LinkedHashMap<>((Map<String, Object>) map);
      options.remove("type");
      return new ComponentSpec(type, options);
    }
    throw new ConfigException(where + ": expected a component name or {type: name, …}, got " + value);
  }
}
