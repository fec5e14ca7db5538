package io.ablate.plugins.tasks.lm;

import io.ablate.plugins.tasks.text.BibleText;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.task.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code lm-bible}: language modelling on the King James Bible, one verse per line without chapter
 * headings or verse numbers ({@link BibleText}), from the {@code bible} command of the Debian
 * package bible-kjv, or from a UTF-8 text file ({@code path}, one segment per line). The held-out
 * split is the end of the text (with the defaults, the last 10%: Acts to Revelation's end region).
 */
public final class BibleLmTask {
  /** Options of {@code lm-bible}. */
  public record Config(
      @Doc("passage for the `bible` command, e.g. \"gen1:1-rev22:21\" (the whole Bible) or \"john1:1-21:25\"")
      @Default("gen1:1-rev22:21") String passage,
      @Doc("a UTF-8 text file to read instead of running `bible` (one segment per line)") @Default(Default.NULL)
      String path,
      @Doc("tokens per training window") @Default("64") int trainContext,
      @Doc("context lengths evaluated (train short, test long)") @Default("[64, 128, 256]") List<Integer> evalContexts,
      @Doc("targets scored at the end of every evaluation window, the same at every context length")
      @Default("32") int scoredTokens,
      @Doc("share of the text, at its end, held out") @Default("0.1") double evalFraction,
      @Doc("evaluation windows per context length") @Default("64") int evalWindows,
      @Doc("read at most this many characters from the start (0: all, 4.3 MB for the whole Bible)")
      @Default("0") int maxChars) {
    public Config {
      new LmOptions(trainContext, evalContexts, scoredTokens, evalFraction, evalWindows, maxChars);   // checks them
    }

    LmOptions options() {
      return new LmOptions(trainContext, evalContexts, scoredTokens, evalFraction, evalWindows, maxChars);
    }
  }

  public static final ComponentFactory<Config, Task> FACTORY = Factories.of(Family.TASK, "lm-bible",
      "Language modelling on the King James Bible (Debian bible-kjv); loss, perplexity, bits/char at several contexts",
      Config.class, (config, context) -> new LanguageModelTask("lm-bible", config.options(), () -> text(config)));

  private BibleLmTask() {}

  static List<String> text(Config config) {
    if (config.path() == null) {
      return BibleText.verses(config.passage(), "lm-bible");
    }
    return lines(Path.of(config.path()), "lm-bible");
  }

  /** Non-blank lines of a UTF-8 file; a missing file is a {@link ConfigException} naming `path`. */
  static List<String> lines(Path file, String task) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("task '" + task + "': key `path`: no file at " + file
          + "; point it at a UTF-8 text file, or leave it out to use the installed data");
    }
    try {
      return Arrays.stream(Files.readString(file, StandardCharsets.UTF_8).split("\n"))
          .map(String::strip).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
