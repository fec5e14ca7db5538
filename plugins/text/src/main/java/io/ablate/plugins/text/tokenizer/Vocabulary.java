package io.ablate.plugins.text.tokenizer;

import io.ablate.spi.text.SpecialToken;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token strings and their ids. Ids 0–5 are always the {@link SpecialToken}s; a vocabulary that can
 * miss (every learned one) reserves id 6 for {@link #UNKNOWN}; ordinary tokens follow in the order
 * they were added. Ordinary token strings are unique. Lookups by string see ordinary tokens only:
 * text that happens to spell {@code [PAD]} is an ordinary token, never the special one, because
 * encoding text never yields special tokens.
 */
public final class Vocabulary {
  /** The fallback token of vocabularies that can miss; always id {@link #UNKNOWN_ID} when present. */
  public static final String UNKNOWN = "[UNK]";
  /** Id of {@link #UNKNOWN} in vocabularies that have it. */
  public static final int UNKNOWN_ID = SpecialToken.COUNT;
  /** Decoded text of the unknown token: U+FFFD, the Unicode replacement character. */
  public static final String UNKNOWN_TEXT = "\uFFFD";

  private final List<String> tokens = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final boolean withUnknown;

  private Vocabulary(boolean withUnknown) {
    this.withUnknown = withUnknown;
    for (SpecialToken special : SpecialToken.values()) {
      tokens.add(special.text());
    }
    if (withUnknown) {
      tokens.add(UNKNOWN);
    }
  }

  /** Special tokens and [UNK] (id 6): for vocabularies learned from a corpus. */
  public static Vocabulary withUnknown() {
    return new Vocabulary(true);
  }

  /** Special tokens only: for vocabularies that cover every input (bytes). */
  public static Vocabulary closed() {
    return new Vocabulary(false);
  }

  /** Rebuilds a saved vocabulary, checking that the reserved ids hold what they must. */
  public static Vocabulary restore(List<String> saved, boolean withUnknown) {
    Vocabulary v = new Vocabulary(withUnknown);
    int reserved = v.reserved();
    if (saved.size() < reserved) {
      throw new IllegalArgumentException("saved vocabulary has " + saved.size() + " tokens, fewer than the "
          + reserved + " reserved ones");
    }
    for (int i = 0; i < reserved; i++) {
      if (!saved.get(i).equals(v.token(i))) {
        throw new IllegalArgumentException("saved vocabulary has '" + saved.get(i) + "' at id " + i + " where '"
            + v.token(i) + "' must be");
      }
    }
    for (String token : saved.subList(reserved, saved.size())) {
      if (v.contains(token)) {
        throw new IllegalArgumentException("saved vocabulary lists token '" + token + "' twice");
      }
      v.add(token);
    }
    return v;
  }

  /** Adds an ordinary token (which must be new) and returns its id. */
  public int add(String token) {
    if (ids.containsKey(token)) {
      throw new IllegalArgumentException("token '" + token + "' is already in the vocabulary");
    }
    int id = tokens.size();
    tokens.add(token);
    ids.put(token, id);
    return id;
  }

  /** The id of an existing token, or the id of a new one. */
  public int addIfAbsent(String token) {
    Integer id = ids.get(token);
    return id != null ? id : add(token);
  }

  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** The id of the ordinary token, or -1. */
  public int id(String token) {
    Integer id = ids.get(token);
    return id == null ? -1 : id;
  }

  /** The id of the ordinary token, or {@link #UNKNOWN_ID} (only for vocabularies with an unknown token). */
  public int idOrUnknown(String token) {
    Integer id = ids.get(token);
    if (id != null) {
      return id;
    }
    if (!withUnknown) {
      throw new IllegalStateException("token '" + token + "' is not in this closed vocabulary");
    }
    return UNKNOWN_ID;
  }

  public String token(int id) {
    if (id < 0 || id >= tokens.size()) {
      throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + tokens.size() + ")");
    }
    return tokens.get(id);
  }

  public int size() {
    return tokens.size();
  }

  public boolean hasUnknown() {
    return withUnknown;
  }

  /** Whether the id is a special token or [UNK]: ids that stand for no text of their own. */
  public boolean isReserved(int id) {
    return id >= 0 && id < reserved();
  }

  /** Number of reserved ids (special tokens, and [UNK] when present); the first ordinary id. */
  public int reserved() {
    return withUnknown ? UNKNOWN_ID + 1 : SpecialToken.COUNT;
  }

  /** Every token in id order. */
  public List<String> tokens() {
    return List.copyOf(tokens);
  }
}
