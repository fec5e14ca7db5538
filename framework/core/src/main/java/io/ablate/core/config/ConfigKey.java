package io.ablate.core.config;

/**
 * One key of a component's config, as listed by {@code ablate plugins} and the JSON schema.
 *
 * @param name snake_case key
 * @param type {@code int}, {@code float}, {@code bool}, {@code string}, {@code one of [a, b]},
 *     {@code component}, {@code list<int>} …
 * @param defaultValue the default as written in YAML, or null when the key is required
 * @param description from {@link io.ablate.spi.Doc}, or empty
 */
public record ConfigKey(String name, String type, String defaultValue, boolean required, String description) {}
