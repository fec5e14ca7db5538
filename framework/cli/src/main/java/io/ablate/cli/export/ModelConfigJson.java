package io.ablate.cli.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ablate.core.config.ConfigBinder;
import io.ablate.core.plugin.Registry;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code config.json} written beside an exported {@code model.safetensors}, as Hugging Face
 * checkpoints have one: {@code model_type: ablate} and, under {@code ablate}, the run's architecture
 * with every option resolved (defaults filled in), each component as {@code {type, options…}}. It
 * says everything a forward pass outside Java needs (width, heads, layers, positional encoding,
 * norm type and placement, feed-forward, tied embeddings, epsilons); {@code scripts/export_reference.py}
 * reads it.
 */
public final class ModelConfigJson {
  /** The architecture options that name a component, and the family each is built from. */
  private static final Map<String, Family<?>> COMPONENTS = Map.of("positional", Family.POSITIONAL,
      "attention", Family.ATTENTION, "norm", Family.NORMALIZATION, "ffn", Family.FEEDFORWARD,
      "embedding", Family.EMBEDDING);

  private ModelConfigJson() {}

  /** The resolved architecture: its own options, and each component's type and options. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> resolve(Registry registry, ComponentSpec architecture) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("architecture", architecture.type());
    Map<String, Object> options = ConfigBinder.unbind(registry.bindConfig(Family.ARCHITECTURE, architecture,
        "base.model"));
    for (Map.Entry<String, Object> e : options.entrySet()) {
      Family<?> family = COMPONENTS.get(e.getKey());
      if (family != null && e.getValue() instanceof Map<?, ?> given && given.get("type") instanceof String type) {
        Map<String, Object> raw = new LinkedHashMap<>((Map<String, Object>) given);
        raw.remove("type");
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("type", type);
        component.putAll(ConfigBinder.unbind(registry.bindConfig(family, new ComponentSpec(type, raw),
            "base.model." + e.getKey())));
        model.put(e.getKey(), component);
      } else {
        model.put(e.getKey(), e.getValue());
      }
    }
    return model;
  }

  /**
   * Writes config.json: {@code model_type}, {@code vocab_size} (when the model has a token table),
   * the run's identity and {@code ablate}.
   */
  public static void write(Map<String, Object> resolvedModel, Long vocabSize, Map<String, String> run, Path file)
      throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model_type", "ablate");
    if (vocabSize != null) {
      json.put("vocab_size", vocabSize);
    }
    json.putAll(run);
    json.put("ablate", resolvedModel);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
  }
}
