package io.ablate.experiment.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.ablate.core.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generated schema, checked by an independent JSON Schema validator against real specs. */
class SchemaGeneratorTest {
  private static JsonSchema schema;
  private static final YAMLMapper YAML = new YAMLMapper();

  @BeforeAll
  static void generate() {
    JsonNode node = SchemaGenerator.generate(Wiring.builtins());
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
  }

  private static Set<ValidationMessage> validate(String yaml) throws Exception {
    return schema.validate(YAML.readTree(yaml));
  }

  @Test
  void bundledQuickstartIsValid() throws Exception {
    Path quickstart = Path.of("../../experiments/quickstart.yaml");
    Set<ValidationMessage> errors = validate(Files.readString(quickstart));
    assertTrue(errors.isEmpty(), errors.toString());
  }

  @Test
  void theCommittedSchemaThatBundledSpecsNameIsCurrent() throws Exception {
    Path committed = Path.of("../../experiments/ablate-study.schema.json");
    assertEquals(SchemaGenerator.toJson(SchemaGenerator.generate(Wiring.builtins())) + "\n",
        Files.readString(committed), committed + " is stale: regenerate it with "
            + "`./ablate schema -o experiments/ablate-study.schema.json`");
  }

  @Test
  void misspeltKeysAndUnknownComponentsAreFlagged() throws Exception {
    String good = """
        study: s
        base:
          task: {type: copy, train_max_length: 4}
          tokenizer: char
          model: {architecture: decoder, d_model: 16, positional: {type: sinusoidal, base: 100}, norm: layernorm}
          train: {steps: 10, optimizer: adamw}
        seeds: [1]
        """;
    assertTrue(validate(good).isEmpty(), validate(good).toString());
    assertFalse(validate(good.replace("d_model", "d_modle")).isEmpty(), "unknown architecture key");
    assertFalse(validate(good.replace("norm: layernorm", "norm: layernrom")).isEmpty(), "unknown norm");
    assertFalse(validate(good.replace("base: 100", "bse: 100")).isEmpty(), "unknown positional key");
    assertFalse(validate(good.replace("optimizer: adamw", "optimizer: adamx")).isEmpty(), "bad enum");
    assertFalse(validate(good.replace("steps: 10", "steps: ten")).isEmpty(), "wrong type");
    assertFalse(validate(good.replace("seeds: [1]", "seeds: [1]\nseed: 2")).isEmpty(), "unknown top-level key");
  }
}
