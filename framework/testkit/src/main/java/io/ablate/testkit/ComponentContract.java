package io.ablate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.config.ConfigBinder;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Spi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every component of every family must satisfy: a well-formed name and description, configs
 * that bind, round-trip and reject unknown keys, and registration in the plugin registry.
 * Family contracts extend this; a plugin's test extends the family contract.
 *
 * @param <C> the component's config record
 */
public abstract class ComponentContract<C extends Record> {
  /** The factory under test. */
  protected abstract ComponentFactory<C, ?> factory();

  /** Options to test with, as a study would write them (snake_case keys); the first is the default case. */
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of());
  }

  /** Binds options to the config record as the framework does. */
  protected C config(Map<String, Object> options) {
    return ConfigBinder.bind(factory().configType(), options, "test");
  }

  @Test
  void nameIsLowerKebabCaseAndDescribed() {
    assertTrue(factory().name().matches("[a-z0-9]+(-[a-z0-9]+)*"), "name: " + factory().name());
    assertFalse(factory().description().isBlank(), "description is empty");
    assertTrue(Spi.isCompatible(Spi.VERSION));
  }

  @Test
  void configRoundTrips() {
    for (Map<String, Object> options : exampleOptions()) {
      C config = config(options);
      Map<String, Object> plain = ConfigBinder.unbind(config);
      assertEquals(config, config(plain), "bind(unbind(config)) for options " + options);
    }
  }

  @Test
  void unknownConfigKeyIsRejectedWithTheValidKeys() {
    Map<String, Object> options = new LinkedHashMap<>(exampleOptions().get(0));
    options.put("no_such_key", 1);
    ConfigException e = assertThrows(ConfigException.class, () -> config(options));
    assertTrue(e.getMessage().contains("unknown key 'no_such_key'"), e.getMessage());
    for (var key : ConfigBinder.describe(factory().configType())) {
      assertTrue(e.getMessage().contains(key.name()), "message lists valid key " + key.name() + ": " + e.getMessage());
    }
  }

  @Test
  void isRegisteredUnderItsName() {
    var component = TestModels.registry().get(factory().family(), factory().name());
    assertEquals(factory().configType(), component.factory().configType());
  }
}
