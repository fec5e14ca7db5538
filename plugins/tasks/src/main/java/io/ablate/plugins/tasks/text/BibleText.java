package io.ablate.plugins.tasks.text;

import io.ablate.spi.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The King James Bible as plain prose, one verse per line: the output of {@code bible <passage>}
 * (Debian package bible-kjv) with chapter headings ("Genesis 1") and verse numbers dropped and each
 * verse's wrapped lines joined by single spaces.
 */
public final class BibleText {
  private static final Pattern VERSE = Pattern.compile("^\\s+\\d+\\s+(.*)$");

  private BibleText() {}

  /** Runs {@code bible passage} and returns its verses. */
  public static List<String> verses(String passage, String task) {
    return verses("bible", passage, task);
  }

  /** Runs {@code command passage}: the command is a parameter so the not-installed path can be tested. */
  public static List<String> verses(String command, String passage, String task) {
    String output;
    try {
      Process process = new ProcessBuilder(command, passage).redirectErrorStream(true).start();
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new ConfigException("task '" + task + "': `bible " + passage + "` failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new ConfigException("task '" + task + "': the `" + command + "` command is not installed. Install the Debian "
          + "package bible-kjv (scripts/install-system-packages.sh does), or set the task's `path` to a UTF-8 "
          + "text file", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running `bible`", e);
    }
    List<String> verses = parse(output);
    if (verses.isEmpty()) {
      throw new ConfigException("task '" + task + "': `bible " + passage + "` printed no verses: "
          + output.strip() + " (key `passage` takes references like \"gen1:1-rev22:21\" or \"john3\")");
    }
    return verses;
  }

  /** Verses from the command's output. */
  public static List<String> parse(String output) {
    List<String> verses = new ArrayList<>();
    StringBuilder verse = null;
    for (String line : output.split("\n", -1)) {
      var m = VERSE.matcher(line);
      if (m.matches()) {
        if (verse != null) {
          verses.add(verse.toString());
        }
        verse = new StringBuilder(m.group(1).strip());
      } else if (line.isBlank()) {
        if (verse != null) {
          verses.add(verse.toString());
        }
        verse = null;                       // the next unindented line after a blank one is a heading
      } else if (verse != null) {
        verse.append(' ').append(line.strip());
      }
    }
    if (verse != null) {
      verses.add(verse.toString());
    }
    return verses;
  }
}
