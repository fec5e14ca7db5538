package io.ablate.plugins.tasks.text;

import io.ablate.spi.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Quotes from the fortune files of the Debian package {@code fortunes}: one file per category,
 * quotes separated by lines holding only {@code %}. Text is read as UTF-8 (malformed bytes
 * replaced), terminal overstrike ({@code x\bx}, {@code _\bx}) is reduced to the struck character,
 * other control characters except newline and tab are dropped. The offensive collection
 * ({@code off/}) is never read.
 */
public final class FortuneFiles {
  private FortuneFiles() {}

  /** Every category file in the folder: regular files without the index (.dat) and link (.u8) suffixes. */
  public static List<String> categories(Path dir, String task) {
    requireDir(dir, task);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> !Files.isSymbolicLink(f))
          .map(f -> f.getFileName().toString())
          .filter(n -> !n.contains(".") && !n.equals("off"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The quotes of one category file, stripped of surrounding blank space; empty quotes skipped. */
  public static List<String> quotes(Path dir, String category, String task) {
    requireDir(dir, task);
    if (category.startsWith("off") || category.contains("/") || category.contains("..")) {
      throw new ConfigException("task '" + task + "': key `files`/`categories`: '" + category + "' is not a plain "
          + "category name (the offensive off/ collection is never read)");
    }
    Path file = dir.resolve(category);
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("task '" + task + "': no fortune file '" + category + "' in " + dir
          + "; available: " + categories(dir, task));
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<String> quotes = new ArrayList<>();
    for (String quote : text.split("(?m)^%\\r?$")) {
      String clean = clean(quote);
      if (!clean.isEmpty()) {
        quotes.add(clean);
      }
    }
    return quotes;
  }

  /** Overstrike resolved, control characters dropped, surrounding blank space stripped. */
  static String clean(String quote) {
    String struck = quote.replaceAll(".\b", "");
    return struck.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "").strip();
  }

  private static void requireDir(Path dir, String task) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("task '" + task + "': fortune files not found at " + dir + ". Install the Debian "
          + "package fortunes (scripts/install-system-packages.sh does), or set the task's `path` to a folder of "
          + "fortune files (quotes separated by lines holding only %)");
    }
  }
}
