package io.ablate.plugins.tasks.pairs;

import io.ablate.plugins.tasks.synthetic.Format;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.task.Task;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * {@code date-normalisation}: a date in one of several surface forms ({@link DateForms}: "Friday, 5th
 * of March 2021", "2021/03/05", …) → ISO 8601 {@code 2021-03-05}. Days from first_year-01-01 to
 * last_year-12-31; a fixed 10% of the days (by hash) are held out, in every surface form.
 */
public final class DateNormalisationTask extends PairTask {
  /** Options of {@code date-normalisation}. */
  public record Config(
      @Doc("first year of the date range") @Default("1900") int firstYear,
      @Doc("last year of the date range") @Default("2099") int lastYear,
      @Doc("training pairs, drawn once per seed from the non-held-out days") @Default("20000") int trainExamples,
      @Doc("held-out pairs evaluated") @Default("200") int evalExamples,
      @Doc("seq2seq (encoder-decoder) or lm (one causal sequence source>target)") @Default("seq2seq") Format format) {
    public Config {
      if (firstYear < 1 || lastYear > 9999 || lastYear < firstYear) {
        throw new IllegalArgumentException("need 1 ≤ first_year ≤ last_year ≤ 9999, got " + firstYear + ", "
            + lastYear);
      }
      if (trainExamples < 1 || evalExamples < 1) {
        throw new IllegalArgumentException("train_examples and eval_examples must be positive");
      }
    }
  }

  public static final ComponentFactory<Config, Task> FACTORY = Factories.of(Family.TASK, "date-normalisation",
      "Normalise dates in several surface forms to ISO 8601 (Friday, 5th of March 2021 → 2021-03-05)",
      Config.class, (config, context) -> new DateNormalisationTask(config));

  private final LocalDate first;
  private final int days;

  DateNormalisationTask(Config config) {
    super("date-normalisation", config.format(), config.trainExamples(), config.evalExamples());
    this.first = LocalDate.of(config.firstYear(), 1, 1);
    this.days = (int) (LocalDate.of(config.lastYear(), 12, 31).toEpochDay() - first.toEpochDay() + 1);
  }

  @Override
  protected int size() {
    return days;
  }

  @Override
  protected Pair pair(int index, SplittableRandom random) {
    LocalDate date = first.plusDays(index);
    DateForms form = DateForms.values()[random.nextInt(DateForms.values().length)];
    return new Pair(form.render(date), date.toString());
  }

  @Override
  protected String alphabet() {
    StringBuilder s = new StringBuilder("0123456789 ,/-");
    for (java.time.Month m : java.time.Month.values()) {
      s.append(m.getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH));
    }
    for (java.time.DayOfWeek d : java.time.DayOfWeek.values()) {
      s.append(d.getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH));
    }
    return s.append("stndrdthof").toString();
  }
}
