package io.ablate.plugins.tasks.pairs;

import io.ablate.plugins.tasks.synthetic.Format;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.task.Task;
import java.util.SplittableRandom;

/**
 * {@code number-words}: numbers in words ↔ digits, in English ({@link EnglishNumbers}: "three
 * hundred twelve") or Chinese ({@link ChineseNumbers}: 三百一十二). Numbers 0 … max_number; a fixed
 * 10% of them (by hash) are held out and never appear in training.
 */
public final class NumberWordsTask extends PairTask {
  /** Which way the task translates. */
  public enum Direction { WORDS_TO_DIGITS, DIGITS_TO_WORDS }

  /** The language of the words. */
  public enum Language { EN, ZH }

  /** Options of {@code number-words}. */
  public record Config(
      @Doc("en (American English, no 'and') or zh (Chinese numerals)") @Default("en") Language language,
      @Doc("words_to_digits or digits_to_words") @Default("words_to_digits") Direction direction,
      @Doc("largest number (en ≤ 999999999, zh ≤ 99999999)") @Default("999999") int maxNumber,
      @Doc("training pairs, drawn once per seed from the non-held-out numbers") @Default("20000") int trainExamples,
      @Doc("held-out pairs evaluated") @Default("200") int evalExamples,
      @Doc("seq2seq (encoder-decoder) or lm (one causal sequence source>target)") @Default("seq2seq") Format format) {
    public Config {
      int max = language == Language.ZH ? ChineseNumbers.MAX : EnglishNumbers.MAX;
      if (maxNumber < 99 || maxNumber > max) {
        throw new IllegalArgumentException("max_number must be in [99, " + max + "] for language "
            + language.name().toLowerCase(java.util.Locale.ROOT) + ", got " + maxNumber);
      }
      if (trainExamples < 1 || evalExamples < 1) {
        throw new IllegalArgumentException("train_examples and eval_examples must be positive");
      }
    }
  }

  public static final ComponentFactory<Config, Task> FACTORY = Factories.of(Family.TASK, "number-words",
      "Number words ↔ digits in English or Chinese numerals (三百一十二 → 312); held-out numbers unseen in training",
      Config.class, (config, context) -> new NumberWordsTask(config));

  private final Config config;

  NumberWordsTask(Config config) {
    super("number-words", config.format(), config.trainExamples(), config.evalExamples());
    this.config = config;
  }

  /** The number in words in the configured language. */
  public String words(int n) {
    return config.language() == Language.ZH ? ChineseNumbers.words(n) : EnglishNumbers.words(n);
  }

  @Override
  protected int size() {
    return config.maxNumber() + 1;
  }

  @Override
  protected Pair pair(int index, SplittableRandom random) {
    String words = words(index);
    String digits = Integer.toString(index);
    return config.direction() == Direction.WORDS_TO_DIGITS ? new Pair(words, digits) : new Pair(digits, words);
  }

  @Override
  protected String alphabet() {
    return "0123456789" + (config.language() == Language.ZH ? ChineseNumbers.alphabet() : EnglishNumbers.alphabet());
  }
}
