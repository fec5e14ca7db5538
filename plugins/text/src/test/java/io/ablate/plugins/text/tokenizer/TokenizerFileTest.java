package io.ablate.plugins.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerFileTest {
  @Test
  void tokensWithAnyCharacterSurviveOnOneLineEach() throws IOException {
    List<String> tokens = List.of("plain", "with space", "back\\slash", "line\nfeed", "cr\r", "tab\t", "\u0000nul",
        "\\s literally", "😀", "lone \uD800 surrogate", "\u2028separator", "end\\");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TokenizerFile.write(out, "test").option("flag", true).tokens("vocab", tokens)
        .pairs("merges", List.of(new int[] {1, 2})).end();
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(1 + 1 + 1 + tokens.size() + 2 + 1, text.split("\n", -1).length - 1, "one line per item:\n" + text);
    TokenizerFile.Reader r = TokenizerFile.read(new ByteArrayInputStream(out.toByteArray()), "test");
    assertTrue(r.booleanOption("flag"));
    assertEquals(tokens, r.tokens("vocab"));
    assertArrayEquals(new int[] {1, 2}, r.pairs("merges", 3).get(0));
    r.end();
  }

  @Test
  void readingStopsAtTheEndLine() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TokenizerFile.write(out, "test").option("n", 3).end();
    out.write("after".getBytes(StandardCharsets.UTF_8));
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    TokenizerFile.Reader r = TokenizerFile.read(in, "test");
    assertEquals(3, r.intOption("n"));
    r.end();
    assertEquals("after", new String(in.readAllBytes(), StandardCharsets.UTF_8), "the rest of the stream is untouched");
  }

  @Test
  void errorsNameTheLineAndWhatWasExpected() {
    IOException e = assertThrows(IOException.class, () -> read("ablate-tokenizer 1 test\nvocab x\n").tokens("vocab"));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("vocab <count>"), e.getMessage());
    e = assertThrows(IOException.class, () -> read("ablate-tokenizer 1 test\nmerges 1\n1 9\nend\n").pairs("merges", 5));
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("[0, 5)"), e.getMessage());
    e = assertThrows(IOException.class, () -> read("ablate-tokenizer 1 test\nvocab 2\na\n").tokens("vocab"));
    assertTrue(e.getMessage().contains("unexpected end of stream"), e.getMessage());
    e = assertThrows(IOException.class, () -> read("ablate-tokenizer 2 test\n"));
    assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    e = assertThrows(IOException.class, () -> read("ablate-tokenizer 1 test\nvocab 1\nbad\\q\n").tokens("vocab"));
    assertTrue(e.getMessage().contains("unknown escape"), e.getMessage());
  }

  private static TokenizerFile.Reader read(String text) throws IOException {
    return TokenizerFile.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
  }
}
