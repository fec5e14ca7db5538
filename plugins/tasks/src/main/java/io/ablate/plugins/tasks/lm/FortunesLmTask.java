package io.ablate.plugins.tasks.lm;

import io.ablate.plugins.tasks.text.FortuneFiles;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.task.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lm-fortunes}: language modelling on the quotes of the Debian package fortunes
 * ({@link FortuneFiles}), category files in the order given, each quote one segment. The held-out
 * split is the end of the concatenation (the last files' last quotes); the offensive {@code off/}
 * collection is never read.
 */
public final class FortunesLmTask {
  /** Options of {@code lm-fortunes}. */
  public record Config(
      @Doc("folder of fortune files") @Default("/usr/share/games/fortunes") String path,
      @Doc("category files to read, in order (empty: every category file in the folder)") @Default("[]")
      List<String> files,
      @Doc("tokens per training window") @Default("64") int trainContext,
      @Doc("context lengths evaluated (train short, test long)") @Default("[64, 128, 256]") List<Integer> evalContexts,
      @Doc("targets scored at the end of every evaluation window, the same at every context length")
      @Default("32") int scoredTokens,
      @Doc("share of the text, at its end, held out") @Default("0.1") double evalFraction,
      @Doc("evaluation windows per context length") @Default("64") int evalWindows,
      @Doc("read at most this many characters (0: all)") @Default("0") int maxChars) {
    public Config {
      new LmOptions(trainContext, evalContexts, scoredTokens, evalFraction, evalWindows, maxChars);   // checks them
    }

    LmOptions options() {
      return new LmOptions(trainContext, evalContexts, scoredTokens, evalFraction, evalWindows, maxChars);
    }
  }

  public static final ComponentFactory<Config, Task> FACTORY = Factories.of(Family.TASK, "lm-fortunes",
      "Language modelling on fortune-file quotes (Debian fortunes); loss, perplexity, bits/char at several contexts",
      Config.class, (config, context) -> new LanguageModelTask("lm-fortunes", config.options(), () -> text(config)));

  private FortunesLmTask() {}

  static List<String> text(Config config) {
    Path dir = Path.of(config.path());
    List<String> files = config.files().isEmpty() ? FortuneFiles.categories(dir, "lm-fortunes") : config.files();
    List<String> quotes = new ArrayList<>();
    for (String file : files) {
      FortuneFiles.quotes(dir, file, "lm-fortunes").forEach(q -> quotes.add(q + "\n"));   // a blank line between quotes
    }
    return quotes;
  }
}
