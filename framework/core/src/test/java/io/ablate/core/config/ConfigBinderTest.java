package io.ablate.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
  enum Scale { SQRT_DK, NONE, LEARNED }

  record Config(
      @Doc("width") int dModel,
      @Default("4") int heads,
      @Default("sqrt_dk") Scale scale,
      @Default("rotary") ComponentSpec positional,
      @Default("[1, 2]") List<Integer> lengths,
      @Default(Default.NULL) String note,
      @Default("0.1") double dropout) {
    Config {
      if (dropout < 0) {
        throw new IllegalArgumentException("dropout must be ≥ 0, got " + dropout);
      }
    }
  }

  private static Config bind(Map<String, Object> options) {
    return ConfigBinder.bind(Config.class, options, "model.attention");
  }

  @Test
  void defaultsFillMissingKeysAndSnakeCaseMapsToComponents() {
    Config c = bind(Map.of("d_model", 64));
    assertEquals(new Config(64, 4, Scale.SQRT_DK, ComponentSpec.of("rotary"), List.of(1, 2), null, 0.1), c);
  }

  @Test
  void enumsBindCaseInsensitivelyAndSpecsFromMaps() {
    Config c = bind(Map.of("d_model", 8, "scale", "learned", "positional", Map.of("type", "alibi", "max", 3)));
    assertEquals(Scale.LEARNED, c.scale());
    assertEquals(new ComponentSpec("alibi", Map.of("max", 3)), c.positional());
  }

  @Test
  void unknownKeySuggestsAndListsValidKeys() {
    ConfigException e = assertThrows(ConfigException.class, () -> bind(Map.of("d_model", 8, "haeds", 2)));
    assertEquals("model.attention: unknown key 'haeds' — did you mean 'heads'? known: d_model, dropout, heads, "
        + "lengths, note, positional, scale", e.getMessage());
  }

  @Test
  void missingRequiredKeyIsNamedWithItsTypeAndDoc() {
    ConfigException e = assertThrows(ConfigException.class, () -> bind(Map.of()));
    assertEquals("model.attention: missing required key 'd_model' (int: width)", e.getMessage());
  }

  @Test
  void wrongTypesAreRejectedNotTruncated() {
    ConfigException e = assertThrows(ConfigException.class, () -> bind(Map.of("d_model", "four")));
    assertTrue(e.getMessage().startsWith("model.attention: key 'd_model' must be int, got 'four'"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> bind(Map.of("d_model", 2.5)));
    assertTrue(e.getMessage().contains("key 'd_model' must be int, got 2.5"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> bind(Map.of("d_model", 8, "scale", "sqrt")));
    assertTrue(e.getMessage().contains("must be one of [sqrt_dk, none, learned]"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> bind(Map.of("d_model", 8, "positional", List.of(1))));
    assertTrue(e.getMessage().contains("key 'positional' must be component"), e.getMessage());
  }

  @Test
  void recordValidationBecomesAConfigErrorWithTheLocation() {
    ConfigException e = assertThrows(ConfigException.class, () -> bind(Map.of("d_model", 8, "dropout", -1)));
    assertEquals("model.attention: dropout must be ≥ 0, got -1.0", e.getMessage());
  }

  @Test
  void unbindRoundTrips() {
    Config c = bind(Map.of("d_model", 8, "scale", "none", "positional", Map.of("type", "t5-bias", "buckets", 8)));
    Map<String, Object> plain = ConfigBinder.unbind(c);
    assertEquals("none", plain.get("scale"));
    assertEquals(Map.of("type", "t5-bias", "buckets", 8), plain.get("positional"));
    assertEquals(c, bind(plain));
  }

  @Test
  void describeListsKeysWithTypesAndDefaults() {
    List<ConfigKey> keys = ConfigBinder.describe(Config.class);
    assertEquals(new ConfigKey("d_model", "int", null, true, "width"), keys.get(0));
    assertEquals(new ConfigKey("scale", "one of [sqrt_dk, none, learned]", "sqrt_dk", false, ""), keys.get(2));
    assertEquals("list<int>", keys.get(4).type());
    assertEquals("null", keys.get(5).defaultValue());
    assertNull(keys.get(0).defaultValue());
  }

  @Test
  void suggestionsToleratesTyposButNotStrangers() {
    assertEquals("rotary", Suggestions.closest("rotray", List.of("rotary", "alibi", "none")));
    assertEquals("t5-bias", Suggestions.closest("t5bias", List.of("shaw-relative", "t5-bias")));
    assertNull(Suggestions.closest("transformer", List.of("none", "alibi")));
  }
}
