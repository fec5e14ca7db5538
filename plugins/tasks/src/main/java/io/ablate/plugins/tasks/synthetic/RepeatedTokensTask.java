package io.ablate.plugins.tasks.synthetic;

import io.ablate.spi.task.Metric;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Evaluator;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code repeated-tokens}: a random string of {@code length} symbols followed by the same string
 * again, modelled as a language model (Olsson et al. 2022, "In-context learning and induction
 * heads"). The first copy is unpredictable; the second is predictable only by looking back for the
 * previous occurrence of the current token and copying what came after it — what an induction head
 * does, which needs two attention layers. The copy length varies from sequence to sequence
 * ({@code min_length}…{@code length}), so the second copy is not at a fixed offset that one layer
 * could attend to by position alone (with a fixed length, a 1-layer model with learned positions
 * copies perfectly: measured, loss on the repeat 0.013 nats after 3000 steps).
 *
 * <p>Metrics (test split; {@code val/…} the validation split, see {@link ItemSplit}):
 * {@code loss_first} on the first copy (predicting its 2nd…n-th symbol), {@code loss_repeat} on the
 * same symbols in the second copy, {@code induction_gain} = first − repeat (in nats),
 * {@code accuracy_repeat} (arg-max on the second copy), and {@code loss} over every position.
 */
public final class RepeatedTokensTask implements Task {
  private static final String SYMBOLS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** Options of {@code repeated-tokens}. */
  public record Config(
      @Doc("alphabet size: the first N of a–z then A–Z (2–52)") @Default("32") int symbols,
      @Doc("shortest copy, in symbols") @Default("8") int minLength,
      @Doc("longest copy, in symbols; a sequence is two copies of one length drawn in [min_length, length]")
      @Default("16") int length,
      @Doc("evaluation sequences in each of the validation and test splits") @Default("64") int evalExamples) {
    public Config {
      if (symbols < 2 || symbols > SYMBOLS.length()) {
        throw new IllegalArgumentException("symbols must be in [2, " + SYMBOLS.length() + "], got " + symbols);
      }
      if (minLength < 3 || length < minLength || evalExamples < 1) {
        throw new IllegalArgumentException("need 3 ≤ min_length ≤ length and eval_examples ≥ 1, got " + minLength
            + ", " + length + ", " + evalExamples);
      }
    }
  }

  public static final ComponentFactory<Config, Task> FACTORY = Factories.of(Family.TASK, "repeated-tokens",
      "A random string then the same string again: in-context copying by induction heads (Olsson et al. 2022)",
      Config.class, (config, context) -> new RepeatedTokensTask(config));

  private final Config config;
  private TextTokenizer tokenizer;
  private List<String> validation = List.of();
  private List<String> test = List.of();

  RepeatedTokensTask(Config config) {
    this.config = config;
  }

  @Override
  public Objective objective() {
    return Objective.LANGUAGE_MODEL;
  }

  @Override
  public List<String> trainingText() {
    return List.of(SYMBOLS.substring(0, config.symbols()));
  }

  @Override
  public ModelIO prepare(Tokenizer tokenizer, long seed) {
    if (!(tokenizer instanceof TextTokenizer text)) {
      throw new ConfigException("task 'repeated-tokens' needs a text tokenizer (char), got "
          + tokenizer.getClass().getSimpleName());
    }
    this.tokenizer = text;
    SplittableRandom random = new SplittableRandom(seed * 131 + 5);
    validation = heldOut(random, ItemSplit.VALIDATION);
    test = heldOut(random, ItemSplit.TEST);
    return ModelIO.languageModel(text.vocabSize(), 2 * config.length());
  }

  @Override
  public Batch trainBatch(int batchSize, Rng rng) {
    SplittableRandom random = new SplittableRandom(rng.nextSeed());
    List<String> rows = new ArrayList<>();
    while (rows.size() < batchSize) {
      String s = string(random);
      if (ItemSplit.of(s) == ItemSplit.TRAIN) {
        rows.add(s);
      }
    }
    return batch(rows, Part.ALL);
  }

  @Override
  public Evaluation evaluate(Evaluator evaluator) {
    Map<String, Double> metrics = new LinkedHashMap<>(scores(test, evaluator));
    scores(validation, evaluator).forEach((name, value) -> metrics.put(Metric.VALIDATION + name, value));
    return Evaluation.of(metrics);
  }

  private Map<String, Double> scores(List<String> strings, Evaluator evaluator) {
    double first = evaluator.loss(batch(strings, Part.FIRST));
    Batch repeat = batch(strings, Part.REPEAT);
    double second = evaluator.loss(repeat);
    TeacherForcing accuracy = TeacherForcing.score(evaluator.logits(repeat), repeat.targets());   // (B, T, V)
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("loss_repeat", second);
    out.put("loss_first", first);
    out.put("induction_gain", first - second);
    out.put("accuracy_repeat", accuracy.tokenAccuracy());
    out.put("loss", evaluator.loss(batch(strings, Part.ALL)));
    return out;
  }

  /** Which targets of a sequence {@code s s} (|s| = n) are scored. */
  enum Part {
    /** Symbols 2…n of the first copy: inputs at positions [0, n − 1). */
    FIRST,
    /** Symbols 2…n of the second copy: inputs at positions [n, 2n − 1); its first symbol is not inferable. */
    REPEAT,
    /** Every target. */
    ALL
  }

  /** Sequences {@code s s} as a causal LM batch, input = ids[0, 2n−1), target = ids[1, 2n), right-padded. */
  Batch batch(List<String> strings, Part part) {
    List<int[]> inputs = new ArrayList<>();
    List<int[]> targets = new ArrayList<>();
    for (String s : strings) {
      int n = s.length();
      int[] ids = tokenizer.encode(s + s);
      int[] in = Arrays.copyOf(ids, ids.length - 1);
      int[] out = Arrays.copyOfRange(ids, 1, ids.length);
      int from = part == Part.REPEAT ? n : 0;
      int to = part == Part.FIRST ? n - 1 : out.length;
      for (int t = 0; t < out.length; t++) {
        if (t < from || t >= to) {
          out[t] = (int) Batch.IGNORE;
        }
      }
      inputs.add(in);
      targets.add(out);
    }
    return Batch.languageModel(Padding.ids(inputs, SpecialToken.PAD.id()),    // (B, 2n−1)
        Padding.ids(targets, Batch.IGNORE));                                    // (B, 2n−1)
  }

  private List<String> heldOut(SplittableRandom random, ItemSplit split) {
    Set<String> found = new LinkedHashSet<>();
    for (int attempt = 0; attempt < 200 * config.evalExamples() && found.size() < config.evalExamples(); attempt++) {
      String s = string(random);
      if (ItemSplit.of(s) == split) {
        found.add(s);
      }
    }
    return new ArrayList<>(found);
  }

  private String string(SplittableRandom random) {
    char[] s = new char[random.nextInt(config.minLength(), config.length() + 1)];
    for (int i = 0; i < s.length; i++) {
      s[i] = SYMBOLS.charAt(random.nextInt(config.symbols()));
    }
    return new String(s);
  }
}
