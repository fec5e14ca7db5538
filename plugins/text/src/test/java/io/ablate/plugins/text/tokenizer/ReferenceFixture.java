package io.ablate.plugins.text.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** {@code reference/tokenizers.json}, written by {@code scripts/make_tokenizer_fixtures.py}. */
final class ReferenceFixture {
  private static JsonNode root;

  private ReferenceFixture() {}

  static synchronized JsonNode root() {
    if (root == null) {
      try (InputStream in = ReferenceFixture.class.getResourceAsStream("/reference/tokenizers.json")) {
        if (in == null) {
          throw new IllegalStateException("reference/tokenizers.json is missing from the test resources");
        }
        root = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static List<String> corpus() {
    return strings(root().get("corpus"));
  }

  static List<String> samples() {
    return strings(root().get("samples"));
  }

  static JsonNode tokenizer(String name) {
    return root().get(name);
  }
}
