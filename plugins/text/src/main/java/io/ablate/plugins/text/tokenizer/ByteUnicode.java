package io.ablate.plugins.text.tokenizer;

import java.io.ByteArrayOutputStream;

/**
 * GPT-2's printable spelling of bytes ({@code bytes_to_unicode} in its {@code encoder.py}): bytes that
 * are printable Latin-1 characters stand for themselves, the other 68 map to U+0100 onwards, so the
 * space byte is written {@code Ġ}. One char per byte, so the spelling of a byte sequence is the
 * concatenation of the spellings of its bytes, and it is reversible.
 */
final class ByteUnicode {
  private static final char[] CHAR_OF_BYTE = new char[256];
  private static final int[] BYTE_OF_CHAR = new int[512];

  static {
    java.util.Arrays.fill(BYTE_OF_CHAR, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = (char) (printable ? b : next++);
      CHAR_OF_BYTE[b] = c;
      BYTE_OF_CHAR[c] = b;
    }
  }

  private ByteUnicode() {}

  static String spell(byte[] bytes) {
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
    }
    return new String(out);
  }

  static String spell(int b) {
    return String.valueOf(CHAR_OF_BYTE[b]);
  }

  /** Appends the bytes spelled by {@code token}; throws if it is not a byte spelling. */
  static void bytes(String token, ByteArrayOutputStream out) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
      if (b < 0) {
        throw new IllegalArgumentException("'" + token + "' is not a byte-level token (character U+"
            + String.format("%04X", (int) c) + ")");
      }
      out.write(b);
    }
  }

  static byte[] bytes(String token) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(token.length());
    bytes(token, out);
    return out.toByteArray();
  }
}
