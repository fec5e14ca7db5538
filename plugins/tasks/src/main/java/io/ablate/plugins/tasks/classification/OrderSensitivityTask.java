package io.ablate.plugins.tasks.classification;

import io.ablate.plugins.tasks.synthetic.ItemSplit;
import io.ablate.spi.task.Metric;
import io.ablate.plugins.tasks.synthetic.Padding;
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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code order-sensitivity}: does 'a' occur before 'b'? Every sequence holds exactly one 'a' and one
 * 'b' among random other symbols, so the bag of tokens is the same for both labels and a bag-of-words
 * model is at chance (50%); only order tells them apart. An encoder without positional information
 * is permutation-equivariant, so its [CLS] read-out cannot do better either.
 *
 * <p>Held out: each sequence belongs to a split by a hash of its text ({@link ItemSplit}); training
 * examples come from the training split only, the reported metrics from the test split, and
 * {@code val/loss}, {@code val/accuracy} from the validation split (for selection).
 */
public final class OrderSensitivityTask implements Task, BagOfTokens {
  /** Options of {@code order-sensitivity}. */
  public record Config(
      @Doc("alphabet size: 'a', 'b' and filler symbols, the first N lower-case letters (3–26)") @Default("6") int symbols,
      @Doc("sequence length (without [CLS])") @Default("8") int length,
      @Doc("training examples, generated once from the seed") @Default("2000") int trainExamples,
      @Doc("held-out examples, in each of the validation and test splits") @Default("500") int evalExamples) {
    public Config {
      if (symbols < 3 || symbols > 26) {
        throw new IllegalArgumentException("symbols must be in [3, 26], got " + symbols);
      }
      if (length < 2 || trainExamples < 1 || evalExamples < 1) {
        throw new IllegalArgumentException("need length ≥ 2 and positive example counts");
      }
    }
  }

  public static final ComponentFactory<Config, Task> FACTORY = Factories.of(Family.TASK, "order-sensitivity",
      "Classify whether 'a' precedes 'b' in a sequence: same bag of tokens, label set by order only", Config.class,
      (config, context) -> new OrderSensitivityTask(config));

  private static final List<String> LABELS = List.of("a-first", "b-first");
  /** Consecutive draws outside the wanted split before the universe is taken to be too small. */
  private static final int MAX_REJECTED = 10_000;

  private final Config config;
  private final List<int[]> trainTokens = new ArrayList<>();
  private final List<int[]> evalTokens = new ArrayList<>();
  private final List<int[]> validationTokens = new ArrayList<>();
  private int[] trainLabels;
  private int[] evalLabels;
  private int[] validationLabels;

  OrderSensitivityTask(Config config) {
    this.config = config;
  }

  @Override
  public Objective objective() {
    return Objective.CLASSIFICATION;
  }

  @Override
  public List<String> trainingText() {
    StringBuilder alphabet = new StringBuilder();
    for (int i = 0; i < config.symbols(); i++) {
      alphabet.append((char) ('a' + i));
    }
    return List.of(alphabet.toString());
  }

  @Override
  public ModelIO prepare(Tokenizer tokenizer, long seed) {
    if (!(tokenizer instanceof TextTokenizer text)) {
      throw new ConfigException("task 'order-sensitivity' needs a text tokenizer");
    }
    SplittableRandom random = new SplittableRandom(seed * 1_000_003 + 11);
    trainTokens.clear();
    evalTokens.clear();
    validationTokens.clear();
    trainLabels = generate(text, random, config.trainExamples(), trainTokens, ItemSplit.TRAIN);
    validationLabels = generate(text, random, config.evalExamples(), validationTokens, ItemSplit.VALIDATION);
    evalLabels = generate(text, random, config.evalExamples(), evalTokens, ItemSplit.TEST);
    return ModelIO.classification(text.vocabSize(), LABELS.size(), config.length() + 1);
  }

  /**
   * Fills {@code into} with [CLS] + sequence ids of {@code split}'s sequences (drawn with
   * replacement) and returns the labels (0: a first, 1: b first).
   */
  private int[] generate(TextTokenizer text, SplittableRandom random, int n, List<int[]> into, ItemSplit split) {
    int[] labels = new int[n];
    int rejected = 0;
    for (int e = 0; e < n; e++) {
      char[] s = new char[config.length()];
      for (int i = 0; i < s.length; i++) {
        s[i] = (char) ('c' + random.nextInt(config.symbols() - 2));     // fillers, never 'a' or 'b'
      }
      int first = random.nextInt(s.length);
      int second = random.nextInt(s.length - 1);
      if (second >= first) {
        second++;
      }
      labels[e] = random.nextInt(2);
      s[Math.min(first, second)] = labels[e] == 0 ? 'a' : 'b';
      s[Math.max(first, second)] = labels[e] == 0 ? 'b' : 'a';
      if (ItemSplit.of(new String(s)) != split) {
        if (++rejected > MAX_REJECTED) {
          throw new ConfigException("task 'order-sensitivity': too few distinct sequences to hold out "
              + split.name().toLowerCase(java.util.Locale.ROOT) + " items; raise symbols or length");
        }
        e--;
        continue;
      }
      rejected = 0;
      int[] ids = text.encode(new String(s));
      int[] withCls = new int[ids.length + 1];
      withCls[0] = SpecialToken.CLS.id();
      System.arraycopy(ids, 0, withCls, 1, ids.length);
      into.add(withCls);
    }
    return labels;
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
    return Batch.classification(Padding.ids(rows, SpecialToken.PAD.id()), Padding.mask(rows),
        Nd4j.createFromArray(labels));
  }

  @Override
  public java.util.List<Metric> metrics() {
    return java.util.List.of(Metric.lower("loss"), Metric.higher("accuracy"), Metric.higher("macro_f1"));
  }

  @Override
  public Evaluation evaluate(Evaluator evaluator) {
    Batch test = batch(evalTokens, evalLabels);
    int[] predicted = predict(evaluator, test);
    Batch validation = batch(validationTokens, validationLabels);
    int[] validationPredicted = predict(evaluator, validation);
    int correct = 0;
    for (int i = 0; i < validationPredicted.length; i++) {
      correct += validationPredicted[i] == validationLabels[i] ? 1 : 0;
    }
    java.util.Map<String, Double> metrics = new java.util.LinkedHashMap<>();
    metrics.put("loss", evaluator.loss(test));
    metrics.put("val/loss", evaluator.loss(validation));
    metrics.put("val/accuracy", correct / (double) validationPredicted.length);
    return new Evaluation(metrics, new Evaluation.Predictions(predicted, evalLabels.clone(), LABELS));
  }

  private static Batch batch(List<int[]> tokens, int[] labels) {
    long[] all = new long[labels.length];
    for (int i = 0; i < labels.length; i++) {
      all[i] = labels[i];
    }
    return Batch.classification(Padding.ids(tokens, SpecialToken.PAD.id()), Padding.mask(tokens),
        Nd4j.createFromArray(all));
  }

  private static int[] predict(Evaluator evaluator, Batch batch) {
    INDArray predicted = Nd4j.argMax(evaluator.logits(batch), 1);               // logits (B, 2) → (B)
    int[] out = new int[(int) predicted.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = predicted.getInt(i);
    }
    return out;
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
    return LABELS;
  }
}
