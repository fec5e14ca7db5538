package io.ablate.plugins.text.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Hugging Face {@code tokenizer.json} (the {@code tokenizers} library's format) that
 * reproduce Ablate's tokenizers: the vocabulary with the special tokens and [UNK] as added tokens,
 * pre-tokenizers whose regular expressions (Oniguruma syntax) split text exactly as {@link Words}
 * does, and the document around a model. Each tokenizer assembles its own from these.
 *
 * <p>What the format cannot express, and so differs: text that spells a special token literally
 * ({@code [PAD]}, {@code [UNK]} …) is that special token in {@code tokenizers} (added tokens are
 * matched before anything else), while Ablate encodes it as ordinary text; with {@code lower_case},
 * a capital sigma ending a word lower-cases to {@code ς} in Java (Unicode's final-sigma rule) but
 * to {@code σ} in {@code tokenizers}; characters whose class (letter, digit, space) differs between
 * Java's Unicode tables and Oniguruma's may split differently.
 */
final class HuggingFaceJson {
  /** {@link Words#isWordChar}: letters, decimal digits, marks. */
  private static final String WORD_CHAR = "\\p{L}\\p{Nd}\\p{M}";
  /** {@link Words#isSpace}: Java's isWhitespace or isSpaceChar, non-breaking spaces included. */
  private static final String SPACE = "\\p{Z}\\t\\n\\x0B\\f\\r\\x1C-\\x1F";

  private HuggingFaceJson() {}

  /** {@link Words#split}: runs of word characters, every other non-space character alone; spaces dropped. */
  static Map<String, Object> wordSplit() {
    return split("[" + WORD_CHAR + "]+|[^" + WORD_CHAR + SPACE + "]", "Removed", true);
  }

  /** {@link Words#splitOnWhitespace}: the chunks between runs of whitespace. */
  static Map<String, Object> whitespaceSplit() {
    return split("[" + SPACE + "]+", "Removed", false);
  }

  /** Every code point alone. */
  static Map<String, Object> characterSplit() {
    return split("[\\s\\S]", "Isolated", false);
  }

  private static Map<String, Object> split(String regex, String behavior, boolean invert) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "Split");
    m.put("pattern", Map.of("Regex", regex));
    m.put("behavior", behavior);
    m.put("invert", invert);
    return m;
  }

  /** Lower-casing before splitting (letters stay letters, so the split is the same), or none. */
  static Map<String, Object> lowercase(boolean lowerCase) {
    return lowerCase ? Map.of("type", "Lowercase") : null;
  }

  /** A decoder or model with only a type and options in order. */
  static Map<String, Object> typed(String type, Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /** Token → id for every id; an ordinary token spelled like a special one cannot be expressed. */
  static Map<String, Integer> vocab(Vocabulary v) {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int id = 0; id < v.size(); id++) {
      if (vocab.putIfAbsent(v.token(id), id) != null) {
        throw new UnsupportedOperationException("token " + id + " '" + v.token(id) + "' is spelled like token "
            + vocab.get(v.token(id)) + "; a tokenizer.json vocabulary maps each spelling to one id");
      }
    }
    return vocab;
  }

  /** Merges as {@code "left right"} strings in rank order. */
  static List<String> merges(Vocabulary v, List<int[]> pairs) {
    List<String> out = new ArrayList<>(pairs.size());
    for (int[] pair : pairs) {
      String left = v.token(pair[0]);
      String right = v.token(pair[1]);
      if (left.contains(" ") || right.contains(" ")) {
        throw new UnsupportedOperationException("merge '" + left + "' + '" + right + "' has a space in a token");
      }
      out.add(left + " " + right);
    }
    return out;
  }

  /** The whole document: special tokens (and [UNK] when the vocabulary has it) as added tokens. */
  static Map<String, Object> document(Vocabulary v, Map<String, Object> normalizer, Map<String, Object> preTokenizer,
      Map<String, Object> model, Map<String, Object> decoder) {
    List<Map<String, Object>> added = new ArrayList<>();
    for (int id = 0; id < v.reserved(); id++) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("id", id);
      t.put("content", v.token(id));
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
      added.add(t);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", "1.0");
    json.put("truncation", null);
    json.put("padding", null);
    json.put("added_tokens", added);
    json.put("normalizer", normalizer);
    json.put("pre_tokenizer", preTokenizer);
    json.put("post_processor", null);
    json.put("decoder", decoder);
    json.put("model", model);
    return json;
  }
}
