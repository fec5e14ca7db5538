package io.ablate.plugins.tasks.synthetic;

import io.ablate.spi.task.Metric;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Evaluator;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Source → target string tasks generated from a seed (copy, reverse, sort, addition, associative
 * recall; see {@link Rule}), for length
 * generalisation: train on lengths up to {@code train_max_length}, evaluate exact match at every
 * length up to {@code eval_max_length}. Exact match is teacher-forced: every target token (and the
 * final [EOS]) must be the arg-max prediction given the correct prefix.
 *
 * <p>Held out: every source belongs to one {@link ItemSplit} by its hash, so training never sees an
 * evaluation item. Evaluation draws up to {@code eval_examples} distinct items per length from the
 * validation split and as many from the test split (fewer where the length has fewer, none for a
 * length without any). The plain metric names ({@code exact_match}, {@code loss},
 * {@code exact_match@len=12}, …) are the test split; {@code val/<name>} the validation split's
 * aggregates, which is what selection (learning rate) looks at.
 */
public final class SequenceTask implements Task {
  /** Options of the synthetic sequence tasks. */
  public record Config(
      @Doc("alphabet size of copy, reverse and sort: the first N lower-case letters (2–26)") @Default("8") int symbols,
      @Doc("shortest training length: symbols, digits per operand (addition) or pairs (recall)") @Default("1") int trainMinLength,
      @Doc("longest training length") @Default("8") int trainMaxLength,
      @Doc("longest evaluation length; lengths above train_max_length measure generalisation")
      @Default("16") int evalMaxLength,
      @Doc("evaluation examples per length, in each of the validation and test splits") @Default("32")
      int evalExamples,
      @Doc("lm (one causal sequence source>target) or seq2seq (encoder-decoder)") @Default("lm") Format format) {
    public Config {
      if (symbols < 2 || symbols > 26) {
        throw new IllegalArgumentException("symbols must be in [2, 26], got " + symbols);
      }
      if (trainMinLength < 1 || trainMaxLength < trainMinLength || evalMaxLength < trainMaxLength) {
        throw new IllegalArgumentException("need 1 ≤ train_min_length ≤ train_max_length ≤ eval_max_length, got "
            + trainMinLength + ", " + trainMaxLength + ", " + evalMaxLength);
      }
      if (evalExamples < 1) {
        throw new IllegalArgumentException("eval_examples must be positive, got " + evalExamples);
      }
    }
  }

  public static ComponentFactory<Config, Task> factory(Rule rule, String description) {
    return Factories.of(Family.TASK, rule.componentName(), description, Config.class,
        (config, context) -> new SequenceTask(rule, config));
  }

  /** Draws per wanted held-out item before a length is taken to have no more. */
  private static final int ATTEMPTS_PER_EXAMPLE = 200;

  private final Rule rule;
  private final Config config;
  private TextTokenizer tokenizer;
  private final Map<Integer, List<String>> validationSources = new LinkedHashMap<>();
  private final Map<Integer, List<String>> testSources = new LinkedHashMap<>();

  SequenceTask(Rule rule, Config config) {
    rule.check(config.evalMaxLength());
    this.rule = rule;
    this.config = config;
  }

  @Override
  public Objective objective() {
    return config.format() == Format.LM ? Objective.LANGUAGE_MODEL : Objective.SEQ2SEQ;
  }

  @Override
  public List<String> trainingText() {
    SplittableRandom random = new SplittableRandom(12345);
    List<String> text = new ArrayList<>();
    text.add(rule.alphabet(config.symbols()) + PairBatch.SEPARATOR);   // every symbol, whatever the sample
    for (int i = 0; i < 256; i++) {
      String source = trainingSource(random);
      text.add(source + PairBatch.SEPARATOR + rule.apply(source));
    }
    return text;
  }

  @Override
  public ModelIO prepare(Tokenizer tokenizer, long seed) {
    if (!(tokenizer instanceof TextTokenizer text)) {
      throw new ConfigException("task '" + rule.componentName() + "' needs a text tokenizer, got "
          + tokenizer.getClass().getSimpleName());
    }
    this.tokenizer = text;
    SplittableRandom random = new SplittableRandom(seed * 31 + 7);
    validationSources.clear();
    testSources.clear();
    for (int length = 1; length <= config.evalMaxLength(); length++) {
      List<String> validation = heldOut(random, length, ItemSplit.VALIDATION);
      List<String> test = heldOut(random, length, ItemSplit.TEST);
      if (!validation.isEmpty()) {
        validationSources.put(length, validation);
      }
      if (!test.isEmpty()) {
        testSources.put(length, test);
      }
    }
    if (testSources.keySet().stream().noneMatch(this::inDistribution)
        || validationSources.keySet().stream().noneMatch(this::inDistribution)) {
      throw new ConfigException("task '" + rule.componentName() + "': the training lengths "
          + config.trainMinLength() + "–" + config.trainMaxLength() + " have too few distinct items to hold out "
          + "validation and test items; raise symbols or train_max_length");
    }
    int longest = rule.maxCharacters(config.evalMaxLength()) + 2;   // + separator and [EOS]/[BOS]
    return config.format() == Format.LM ? ModelIO.languageModel(text.vocabSize(), longest)
        : ModelIO.seq2seq(text.vocabSize(), longest);
  }

  @Override
  public Batch trainBatch(int batchSize, Rng rng) {
    SplittableRandom random = new SplittableRandom(rng.nextSeed());
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < batchSize; i++) {
      sources.add(trainingSource(random));
    }
    return batch(sources);
  }

  @Override
  public java.util.List<Metric> metrics() {
    return java.util.List.of(Metric.lower("loss"), Metric.higher("exact_match").perLengthToo(),
        Metric.higher("token_accuracy").perLengthToo(), Metric.higher("exact_match_longer"),
        Metric.higher("token_accuracy_longer"));
  }

  @Override
  public Evaluation evaluate(Evaluator evaluator) {
    Map<String, Double> metrics = new LinkedHashMap<>(scores(testSources, evaluator, true));
    scores(validationSources, evaluator, false).forEach((name, value) -> metrics.put(Metric.VALIDATION + name, value));
    return Evaluation.of(metrics);
  }

  /** In-distribution loss, exact match and token accuracy, the same beyond training lengths, and per length. */
  private Map<String, Double> scores(Map<Integer, List<String>> sources, Evaluator evaluator, boolean perLength) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    double inLoss = 0;
    double inExact = 0;
    double inTokens = 0;
    double oodExact = 0;
    double oodTokens = 0;
    int inLengths = 0;
    int oodLengths = 0;
    for (Map.Entry<Integer, List<String>> e : sources.entrySet()) {
      Batch batch = batch(e.getValue());
      TeacherForcing scores = TeacherForcing.score(evaluator.logits(batch), batch.targets());   // logits (B, T, V)
      double exact = scores.exactMatch();
      double tokenAccuracy = scores.tokenAccuracy();
      metrics.put("exact_match@len=" + e.getKey(), exact);
      metrics.put("token_accuracy@len=" + e.getKey(), tokenAccuracy);
      if (inDistribution(e.getKey())) {
        inLoss += evaluator.loss(batch);
        inExact += exact;
        inTokens += tokenAccuracy;
        inLengths++;
      } else if (e.getKey() > config.trainMaxLength()) {
        oodExact += exact;
        oodTokens += tokenAccuracy;
        oodLengths++;
      }
    }
    Map<String, Double> ordered = new LinkedHashMap<>();
    ordered.put("loss", inLoss / inLengths);
    ordered.put("exact_match", inExact / inLengths);
    ordered.put("token_accuracy", inTokens / inLengths);
    if (oodLengths > 0) {
      ordered.put("exact_match_longer", oodExact / oodLengths);
      ordered.put("token_accuracy_longer", oodTokens / oodLengths);
    }
    if (perLength) {
      ordered.putAll(metrics);
    }
    return ordered;
  }

  private boolean inDistribution(int length) {
    return length >= config.trainMinLength() && length <= config.trainMaxLength();
  }

  /** Encodes sources and their targets into the batch layout of the format. */
  Batch batch(List<String> sources) {
    return PairBatch.of(tokenizer, config.format(), sources, sources.stream().map(rule::apply).toList());
  }

  /** A training source: a random length in the training range, never a validation or test item. */
  private String trainingSource(SplittableRandom random) {
    while (true) {
      int length = random.nextInt(config.trainMinLength(), config.trainMaxLength() + 1);
      String source = rule.source(random, length, config.symbols());
      if (ItemSplit.of(source) == ItemSplit.TRAIN) {
        return source;
      }
    }
  }

  /**
   * Up to {@code eval_examples} distinct sources of one length from one held-out split, drawn until
   * enough are found or {@value #ATTEMPTS_PER_EXAMPLE} × as many draws found no more (short lengths
   * have few items).
   */
  private List<String> heldOut(SplittableRandom random, int length, ItemSplit split) {
    java.util.Set<String> found = new java.util.LinkedHashSet<>();
    for (int attempt = 0; attempt < ATTEMPTS_PER_EXAMPLE * config.evalExamples()
        && found.size() < config.evalExamples(); attempt++) {
      String source = rule.source(random, length, config.symbols());
      if (ItemSplit.of(source) == split) {
        found.add(source);
      }
    }
    return new ArrayList<>(found);
  }
}
