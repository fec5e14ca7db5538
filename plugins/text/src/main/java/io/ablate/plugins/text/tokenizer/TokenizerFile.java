package io.ablate.plugins.text.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The saved form of a tokenizer: UTF-8 text, one item per line, read back strictly in the order it
 * was written.
 *
 * <pre>
 * ablate-tokenizer 1 bpe          header: format version and tokenizer name
 * lower_case false                options: "name value"
 * vocab 3                         a token list: "name count", then one escaped token per line
 * [PAD]
 * h\se                            escapes: \\ \s (space) \n \r \t, \\uXXXX for other control
 * merges 1                        characters and unpaired surrogates
 * 7 8                             an id-pair list: "name count", then "left right" per line
 * end
 * </pre>
 *
 * The reader consumes the stream exactly up to the {@code end} line (byte by byte, no read-ahead), so
 * a tokenizer can be one part of a larger stream. The writer flushes but never closes the stream.
 */
public final class TokenizerFile {
  static final String MAGIC = "ablate-tokenizer";
  static final int VERSION = 1;

  private TokenizerFile() {}

  /** Writes the header line for tokenizer {@code kind}. */
  public static Writer write(OutputStream out, String kind) throws IOException {
    Writer w = new Writer(out);
    w.line(MAGIC + " " + VERSION + " " + kind);
    return w;
  }

  /** Reads and checks the header: the file must hold a tokenizer of {@code kind}. */
  public static Reader read(InputStream in, String kind) throws IOException {
    Reader r = new Reader(in);
    String header = r.next();
    String[] parts = header.split(" ", -1);
    if (parts.length != 3 || !parts[0].equals(MAGIC)) {
      throw new IOException("not a saved tokenizer: first line is '" + header + "', expected '" + MAGIC + " "
          + VERSION + " " + kind + "'");
    }
    if (!parts[1].equals(Integer.toString(VERSION))) {
      throw new IOException("saved tokenizer has format version " + parts[1] + "; this build reads version " + VERSION);
    }
    if (!parts[2].equals(kind)) {
      throw new IOException("the stream holds a '" + parts[2] + "' tokenizer, not a '" + kind + "' one");
    }
    return r;
  }

  /** Writes the items of a saved tokenizer. */
  public static final class Writer {
    private final OutputStream out;

    private Writer(OutputStream out) {
      this.out = out;
    }

    public Writer option(String name, Object value) throws IOException {
      return line(name + " " + value);
    }

    public Writer tokens(String name, List<String> tokens) throws IOException {
      line(name + " " + tokens.size());
      for (String token : tokens) {
        line(escape(token));
      }
      return this;
    }

    public Writer pairs(String name, List<int[]> pairs) throws IOException {
      line(name + " " + pairs.size());
      for (int[] pair : pairs) {
        line(pair[0] + " " + pair[1]);
      }
      return this;
    }

    /** Writes the end marker and flushes. */
    public void end() throws IOException {
      line("end");
      out.flush();
    }

    private Writer line(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      return this;
    }
  }

  /** Reads the items of a saved tokenizer in the order they were written. */
  public static final class Reader {
    private final InputStream in;
    private int lineNumber;

    private Reader(InputStream in) {
      this.in = in;
    }

    public String option(String name) throws IOException {
      String[] parts = expect(name);
      if (parts.length != 2) {
        throw error("expected '" + name + " <value>'");
      }
      return parts[1];
    }

    public boolean booleanOption(String name) throws IOException {
      String value = option(name);
      if (!value.equals("true") && !value.equals("false")) {
        throw error("option " + name + " must be true or false, got '" + value + "'");
      }
      return Boolean.parseBoolean(value);
    }

    public int intOption(String name) throws IOException {
      String value = option(name);
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw error("option " + name + " must be an integer, got '" + value + "'");
      }
    }

    public List<String> tokens(String name) throws IOException {
      int count = count(name);
      List<String> tokens = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String line = next();
        try {
          tokens.add(unescape(line));
        } catch (IllegalArgumentException e) {
          throw error(e.getMessage());
        }
      }
      return tokens;
    }

    /** Id pairs, each id checked to lie in [0, bound). */
    public List<int[]> pairs(String name, int bound) throws IOException {
      int count = count(name);
      List<int[]> pairs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String[] parts = next().split(" ", -1);
        try {
          int[] pair = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
          if (parts.length != 2 || pair[0] < 0 || pair[0] >= bound || pair[1] < 0 || pair[1] >= bound) {
            throw error("expected two ids in [0, " + bound + ")");
          }
          pairs.add(pair);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          throw error("expected two ids in [0, " + bound + ")");
        }
      }
      return pairs;
    }

    public void end() throws IOException {
      String line = next();
      if (!line.equals("end")) {
        throw error("expected 'end', got '" + line + "'");
      }
    }

    private int count(String name) throws IOException {
      String[] parts = expect(name);
      try {
        int count = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
        if (count < 0) {
          throw error("expected '" + name + " <count>'");
        }
        return count;
      } catch (NumberFormatException e) {
        throw error("expected '" + name + " <count>'");
      }
    }

    private String[] expect(String name) throws IOException {
      String line = next();
      String[] parts = line.split(" ", -1);
      if (!parts[0].equals(name)) {
        throw error("expected '" + name + "', got '" + line + "'");
      }
      return parts;
    }

    private String next() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          lineNumber++;
          throw error("unexpected end of stream (a saved tokenizer ends with a line 'end')");
        }
        bytes.write(b);
      }
      lineNumber++;
      return bytes.toString(StandardCharsets.UTF_8);
    }

    private IOException error(String message) {
      return new IOException("saved tokenizer, line " + lineNumber + ": " + message);
    }
  }

  /** One token on one line: backslash escapes for line breaks, tabs, spaces and unpaired surrogates. */
  static String escape(String token) {
    StringBuilder sb = new StringBuilder(token.length() + 8);
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case ' ' -> sb.append("\\s");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < token.length()
              && Character.isLowSurrogate(token.charAt(i + 1));
          if (pairedHigh) {
            sb.append(c).append(token.charAt(++i));
          } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  static String unescape(String line) {
    StringBuilder sb = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (++i >= line.length()) {
        throw new IllegalArgumentException("dangling backslash in saved token '" + line + "'");
      }
      switch (line.charAt(i)) {
        case '\\' -> sb.append('\\');
        case 's' -> sb.append(' ');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (i + 5 > line.length()) {
            throw new IllegalArgumentException("truncated \\u escape in saved token '" + line + "'");
          }
          try {
            sb.append((char) Integer.parseInt(line.substring(i + 1, i + 5), 16));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad \\u escape in saved token '" + line + "'");
          }
          i += 4;
        }
        default -> throw new IllegalArgumentException("unknown escape \\" + line.charAt(i) + " in saved token '"
            + line + "'");
      }
    }
    return sb.toString();
  }
}
