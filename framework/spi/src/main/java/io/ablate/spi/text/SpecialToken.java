package io.ablate.spi.text;

/** Special tokens. Every text tokenizer reserves ids 0–5 for them, in this order. */
public enum SpecialToken {
  PAD("[PAD]"),
  CLS("[CLS]"),
  SEP("[SEP]"),
  MASK("[MASK]"),
  BOS("[BOS]"),
  EOS("[EOS]");

  /** Number of reserved ids; the first ordinary token has this id. */
  public static final int COUNT = values().length;

  private final String text;

  SpecialToken(String text) {
    this.text = text;
  }

  public int id() {
    return ordinal();
  }

  /** How the token is written, e.g. {@code [PAD]}. */
  public String text() {
    return text;
  }

  public static boolean isSpecial(int id) {
    return id >= 0 && id < COUNT;
  }
}
