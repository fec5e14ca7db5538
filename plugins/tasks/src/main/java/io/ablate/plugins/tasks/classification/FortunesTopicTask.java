package io.ablate.plugins.tasks.classification;

import io.ablate.spi.task.Metric;
import io.ablate.plugins.tasks.synthetic.Padding;
import io.ablate.plugins.tasks.text.FortuneFiles;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.task.BagOfTokens;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Evaluator;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code fortunes-topic}: the category of a quote from the fortune files (computers, politics,
 * science, …), for an encoder reading [CLS] + tokens. Quotes longer than max_chars are skipped;
 * each category keeps at most max_per_category quotes, chosen and split into train / held-out by
 * {@code split_seed}, so the split is fixed before the tokenizer trains on the training quotes.
 */
public final class FortunesTopicTask implements Task, BagOfTokens {
  /** Options of {@code fortunes-topic}. */
  public record Config(
      @Doc("folder of fortune files") @Default("/usr/share/games/fortunes") String path,
      @Doc("categories (file names) to classify; the offensive off/ collection is never read")
      @Default("[computers, food, law, politics, science, work]") List<String> categories,
      @Doc("skip quotes longer than this many characters") @Default("400") int maxChars,
      @Doc("quotes kept per category (balances the classes)") @Default("160") int maxPerCategory,
      @Doc("share of each category held out") @Default("0.2") double evalFraction,
      @Doc("tokens per example including [CLS]; longer quotes are truncated") @Default("128") int maxLength,
      @Doc("seed of the quote selection and the train/held-out split") @Default("1") long splitSeed) {
    public Config {
      if (categories == null || categories.size() < 2) {
        throw new IllegalArgumentException("categories must list at least two fortune files, e.g. [computers, law]");
      }
      if (maxChars < 1 || maxPerCategory < 2 || maxLength < 2) {
        throw new IllegalArgumentException("max_chars ≥ 1, max_per_category ≥ 2 and max_length ≥ 2 required");
      }
      if (!(evalFraction > 0 && evalFraction < 1)) {
        throw new IllegalArgumentException("eval_fraction must be in (0, 1), got " + evalFraction);
      }
      categories = List.copyOf(categories);
    }
  }

  public static final ComponentFactory<Config, Task> FACTORY = Factories.of(Family.TASK, "fortunes-topic",
      "Classify the category of a fortune-file quote (computers, politics, science, …) with [CLS]; Debian fortunes",
      Config.class, (config, context) -> new FortunesTopicTask(config));

  private final Config config;
  private final List<String> trainText = new ArrayList<>();
  private final List<String> evalText = new ArrayList<>();
  private int[] trainLabels;
  private int[] evalLabels;
  private final List<int[]> trainTokens = new ArrayList<>();
  private final List<int[]> evalTokens = new ArrayList<>();

  FortunesTopicTask(Config config) {
    this.config = config;
  }

  @Override
  public Objective objective() {
    return Objective.CLASSIFICATION;
  }

  /** The training quotes only. */
  @Override
  public List<String> trainingText() {
    load();
    return List.copyOf(trainText);
  }

  @Override
  public ModelIO prepare(Tokenizer tokenizer, long seed) {
    if (!(tokenizer instanceof TextTokenizer text)) {
      throw new ConfigException("task 'fortunes-topic' needs a text tokenizer (char, bpe, …)");
    }
    load();
    trainTokens.clear();
    evalTokens.clear();
    trainText.forEach(q -> trainTokens.add(encode(text, q)));
    evalText.forEach(q -> evalTokens.add(encode(text, q)));
    int longest = 0;
    for (List<int[]> rows : List.of(trainTokens, evalTokens)) {
      for (int[] r : rows) {
        longest = Math.max(longest, r.length);
      }
    }
    return ModelIO.classification(text.vocabSize(), config.categories().size(), longest);
  }

  /** [CLS] then the quote's ids, truncated to max_length. */
  private int[] encode(TextTokenizer text, String quote) {
    int[] ids = text.encode(quote);
    int n = Math.min(ids.length, config.maxLength() - 1);
    int[] out = new int[n + 1];
    out[0] = SpecialToken.CLS.id();
    System.arraycopy(ids, 0, out, 1, n);
    return out;
  }

  @Override
  public Batch trainBatch(int batchSize, Rng rng) {
    SplittableRandom random = new SplittableRandom(rng.nextSeed());
    List<int[]> rows = new ArrayList<>();
    long[] labels = new long[batchSize];
    for (int i = 0; i < batchSize; i++) {
      int pick = random.nextInt(trainTokens.size());
      rows.add(trainTokens.get(pick));
      labels[i] = trainLabels[pick];
    }
    return Batch.classification(Padding.ids(rows, SpecialToken.PAD.id()), Padding.mask(rows),   // (B, T)
        Nd4j.createFromArray(labels));                                                         // (B)
  }

  @Override
  public java.util.List<Metric> metrics() {
    return java.util.List.of(Metric.lower("loss"), Metric.higher("accuracy"), Metric.higher("macro_f1"));
  }

  @Override
  public Evaluation evaluate(Evaluator evaluator) {
    int n = evalTokens.size();
    int[] predicted = new int[n];
    double loss = 0;
    int chunk = 64;
    for (int start = 0; start < n; start += chunk) {
      int end = Math.min(n, start + chunk);
      List<int[]> rows = evalTokens.subList(start, end);
      long[] labels = new long[end - start];
      for (int i = start; i < end; i++) {
        labels[i - start] = evalLabels[i];
      }
      Batch batch = Batch.classification(Padding.ids(rows, SpecialToken.PAD.id()), Padding.mask(rows),
          Nd4j.createFromArray(labels));
      INDArray argmax = Nd4j.argMax(evaluator.logits(batch), 1);                 // (B, C) → (B)
      for (int i = start; i < end; i++) {
        predicted[i] = argmax.getInt(i - start);
      }
      loss += evaluator.loss(batch) * (end - start);
    }
    return new Evaluation(Map.of("loss", loss / n), new Evaluation.Predictions(predicted, evalLabels.clone(),
        config.categories()));
  }

  /** Reads the categories, keeps short quotes, balances and splits them by split_seed. */
  private void load() {
    if (trainLabels != null) {
      return;
    }
    Path dir = Path.of(config.path());
    SplittableRandom random = new SplittableRandom(config.splitSeed() * 6364136223846793005L + 1442695040888963407L);
    List<Integer> trainY = new ArrayList<>();
    List<Integer> evalY = new ArrayList<>();
    for (int label = 0; label < config.categories().size(); label++) {
      String category = config.categories().get(label);
      List<String> quotes = new ArrayList<>(FortuneFiles.quotes(dir, category, "fortunes-topic").stream()
          .filter(q -> q.length() <= config.maxChars()).distinct().toList());
      if (quotes.size() < 2) {
        throw new ConfigException("task 'fortunes-topic': key `categories`: '" + category + "' has " + quotes.size()
            + " quotes of at most max_chars = " + config.maxChars() + " characters; raise max_chars or drop it");
      }
      shuffle(quotes, random);
      List<String> kept = quotes.subList(0, Math.min(quotes.size(), config.maxPerCategory()));
      int held = Math.max(1, (int) Math.round(kept.size() * config.evalFraction()));
      for (int i = 0; i < kept.size(); i++) {
        (i < held ? evalText : trainText).add(kept.get(i));
        (i < held ? evalY : trainY).add(label);
      }
    }
    trainLabels = trainY.stream().mapToInt(Integer::intValue).toArray();
    evalLabels = evalY.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void shuffle(List<String> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /** Held-out quotes, for tests. */
  public List<String> evalQuotes() {
    load();
    return List.copyOf(evalText);
  }

  @Override
  public List<int[]> trainTokens() {
    return List.copyOf(trainTokens);
  }

  @Override
  public int[] trainLabels() {
    return trainLabels.clone();
  }

  @Override
  public List<int[]> evalTokens() {
    return List.copyOf(evalTokens);
  }

  @Override
  public int[] evalLabels() {
    return evalLabels.clone();
  }

  @Override
  public List<String> labels() {
    return config.categories();
  }
}
