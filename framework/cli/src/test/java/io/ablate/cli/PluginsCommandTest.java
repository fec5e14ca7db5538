package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PluginsCommandTest {
  @TempDir
  Path emptyPluginDir;

  private record Result(int code, String out, String err) {}

  private Result run(String... args) {
    CommandLine cli = Ablate.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void jsonIsKeyedByFamilyWithNameDescriptionAndConfig() throws Exception {
    Result r = run("plugins", "--json", "--plugin-path", emptyPluginDir.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode root = new ObjectMapper().readTree(r.out());
    for (String family : List.of("tokenizer", "positional", "attention", "normalization", "feedforward",
        "architecture", "task")) {
      assertTrue(root.has(family) && root.get(family).isArray(), "family " + family + " in " + root.fieldNames());
    }
    JsonNode mha = null;
    for (JsonNode c : root.get("attention")) {
      assertFalse(c.get("description").asText().isBlank());
      if (c.get("name").asText().equals("mha")) {
        mha = c;
      }
    }
    assertTrue(mha != null, "mha listed");
    JsonNode scale = mha.get("config").get(0);
    assertEquals("scale", scale.get("key").asText());
    assertEquals("sqrt_dk", scale.get("default").asText());
    assertTrue(scale.get("type").asText().contains("learned"));
    assertEquals("ablate-transformer", mha.get("plugin").asText());
  }

  @Test
  void textListsComponentsWithTheirKeys() {
    Result r = run("plugins", "--family", "architecture", "--plugin-path", emptyPluginDir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("decoder"), r.out());
    assertTrue(r.out().contains("tied_embeddings"), r.out());
    assertFalse(r.out().contains("layernorm  "), "only the architecture family");
  }

  @Test
  void unknownFamilyIsOneLineWithSuggestion() {
    Result r = run("plugins", "--family", "atention", "--plugin-path", emptyPluginDir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown family 'atention' — did you mean 'attention'?"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
