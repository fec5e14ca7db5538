package io.ablate.cli.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained tokenizer as a Hugging Face {@code tokenizer.json} (the {@code tokenizers} library's
 * format) that gives the same ids: {@code char} as a WordLevel model over single characters (every
 * code point split off), with the special tokens 0–5 and {@code [UNK]} as added tokens.
 */
public final class HfTokenizer {
  /** The tokenizer kinds this export can express exactly. */
  public static final List<String> SUPPORTED = List.of("char");

  private HfTokenizer() {}

  public static void write(String kind, TextTokenizer tokenizer, Path file) throws IOException {
    if (!SUPPORTED.contains(kind)) {
      throw new IllegalArgumentException("--format hf-tokenizer exports tokenizers of type " + SUPPORTED
          + "; this run's tokenizer is '" + kind + "'");
    }
    Map<String, Integer> vocab = new LinkedHashMap<>();
    List<Map<String, Object>> added = new ArrayList<>();
    for (int id = 0; id < tokenizer.vocabSize(); id++) {
      String token = tokenizer.token(id);
      vocab.put(token, id);
      if (SpecialToken.isSpecial(id) || id == SpecialToken.COUNT) {     // [PAD]…[EOS], then [UNK]
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", id);
        t.put("content", token);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", true);
        added.add(t);
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", "1.0");
    json.put("truncation", null);
    json.put("padding", null);
    json.put("added_tokens", added);
    json.put("normalizer", null);
    json.put("pre_tokenizer", Map.of("type", "Split", "pattern", Map.of("Regex", "[\\s\\S]"),
        "behavior", "Isolated", "invert", false));
    json.put("post_processor", null);
    json.put("decoder", Map.of("type", "Fuse"));
    json.put("model", Map.of("type", "WordLevel", "vocab", vocab, "unk_token", tokenizer.token(SpecialToken.COUNT)));
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
  }
}
