package io.ablate.plugins.tasks.pairs;

import io.ablate.spi.task.Metric;
import io.ablate.plugins.tasks.synthetic.Format;
import io.ablate.plugins.tasks.synthetic.Padding;
import io.ablate.plugins.tasks.synthetic.PairBatch;
import io.ablate.plugins.tasks.synthetic.TeacherForcing;
import io.ablate.spi.ConfigException;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A string-to-string task over an enumerated universe of items (numbers, days), each rendered as a
 * (source, target) {@link Pair}. A fixed share of the items is held out ({@link HeldOut}); training
 * pairs are drawn from the rest, evaluation pairs from the held-out items only.
 *
 * <p>Metrics: {@code loss} and {@code token_accuracy} teacher-forced; {@code exact_match} by greedy
 * generation when the model can generate (the output must be the target and [EOS]), else
 * teacher-forced (every target token and [EOS] the arg-max given the correct prefix).
 */
public abstract class PairTask implements Task {
  /** Share of the universe held out for evaluation. */
  public static final double HELD_OUT = 0.1;
  private static final int CHUNK = 64;

  private final String name;
  private final Format format;
  private final int trainExamples;
  private final int evalExamples;
  private TextTokenizer tokenizer;
  private final List<Pair> train = new ArrayList<>();
  private final List<Pair> eval = new ArrayList<>();

  protected PairTask(String name, Format format, int trainExamples, int evalExamples) {
    this.name = name;
    this.format = format;
    this.trainExamples = trainExamples;
    this.evalExamples = evalExamples;
  }

  /** Items in the universe, indexed 0 … size-1. */
  protected abstract int size();

  /** The pair for an item; {@code random} picks among surface forms where the task has several. */
  protected abstract Pair pair(int index, SplittableRandom random);

  /** Every character a source or target can hold, so a tokenizer trained on a sample knows them all. */
  protected abstract String alphabet();

  @Override
  public Objective objective() {
    return format == Format.LM ? Objective.LANGUAGE_MODEL : Objective.SEQ2SEQ;
  }

  @Override
  public List<String> trainingText() {
    SplittableRandom random = new SplittableRandom(12345);
    List<String> text = new ArrayList<>();
    text.add(alphabet() + PairBatch.SEPARATOR);
    for (int i = 0; i < 512; i++) {
      Pair p = pair(trainingIndex(random), random);
      text.add(p.source() + PairBatch.SEPARATOR + p.target());
    }
    return text;
  }

  @Override
  public ModelIO prepare(Tokenizer tokenizer, long seed) {
    if (!(tokenizer instanceof TextTokenizer text)) {
      throw new ConfigException("task '" + name + "' needs a text tokenizer (char, bpe, …), got "
          + tokenizer.getClass().getSimpleName());
    }
    this.tokenizer = text;
    SplittableRandom random = new SplittableRandom(seed * 1_000_003 + 29);
    train.clear();
    eval.clear();
    for (int i = 0; i < trainExamples; i++) {
      train.add(pair(trainingIndex(random), random));
    }
    int[] heldOut = heldOutIndices();
    if (heldOut.length < evalExamples) {
      throw new ConfigException("task '" + name + "': eval_examples " + evalExamples + " exceeds the "
          + heldOut.length + " held-out items (" + (int) (HELD_OUT * 100) + "% of " + size()
          + "); lower eval_examples or enlarge the universe (e.g. max_number)");
    }
    for (int i = 0; i < evalExamples; i++) {                 // partial Fisher-Yates: distinct held-out items
      int j = i + random.nextInt(heldOut.length - i);
      int t = heldOut[i];
      heldOut[i] = heldOut[j];
      heldOut[j] = t;
      eval.add(pair(heldOut[i], random));
    }
    int longest = 0;
    for (List<Pair> pairs : List.of(train, eval)) {
      for (Pair p : pairs) {
        longest = Math.max(longest, PairBatch.length(text, format, p.source(), p.target()));
      }
    }
    longest += 4;                                            // unseen surface forms may tokenise longer
    return format == Format.LM ? ModelIO.languageModel(text.vocabSize(), longest)
        : ModelIO.seq2seq(text.vocabSize(), longest);
  }

  @Override
  public Batch trainBatch(int batchSize, Rng rng) {
    SplittableRandom random = new SplittableRandom(rng.nextSeed());
    List<Pair> rows = new ArrayList<>();
    for (int i = 0; i < batchSize; i++) {
      rows.add(train.get(random.nextInt(train.size())));
    }
    return batch(rows);
  }

  @Override
  public java.util.List<Metric> metrics() {
    return java.util.List.of(Metric.lower("loss"), Metric.higher("exact_match"), Metric.higher("token_accuracy"));
  }

  @Override
  public Evaluation evaluate(Evaluator evaluator) {
    double loss = 0;
    double generatedExact = 0;
    TeacherForcing scores = new TeacherForcing(0, 0, 0, 0);
    for (int start = 0; start < eval.size(); start += CHUNK) {
      List<Pair> chunk = eval.subList(start, Math.min(eval.size(), start + CHUNK));
      Batch batch = batch(chunk);
      scores = scores.plus(TeacherForcing.score(evaluator.logits(batch), batch.targets()));   // logits (B, T, V)
      loss += evaluator.loss(batch) * chunk.size();
      if (evaluator.canGenerate()) {
        generatedExact += generatedMatches(evaluator, chunk);
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", loss / eval.size());
    metrics.put("exact_match", evaluator.canGenerate() ? generatedExact / eval.size() : scores.exactMatch());
    metrics.put("token_accuracy", scores.tokenAccuracy());
    return Evaluation.of(metrics);
  }

  /** Rows whose greedy output is exactly the target and [EOS]. */
  private int generatedMatches(Evaluator evaluator, List<Pair> pairs) {
    int maxNew = 0;
    for (Pair p : pairs) {
      maxNew = Math.max(maxNew, PairBatch.answer(tokenizer, p.target()).length);
    }
    Decoding greedy = Decoding.greedy(maxNew + 1);
    int matches = 0;
    if (format == Format.SEQ2SEQ) {
      int[][] out = evaluator.generate(batch(pairs), greedy);
      for (int i = 0; i < pairs.size(); i++) {
        matches += Arrays.equals(out[i], PairBatch.answer(tokenizer, pairs.get(i).target())) ? 1 : 0;
      }
      return matches;
    }
    Map<Integer, List<Pair>> byPromptLength = new TreeMap<>();    // a decoder's prompts must be equally long
    for (Pair p : pairs) {
      byPromptLength.computeIfAbsent(PairBatch.prompt(tokenizer, p.source()).length, k -> new ArrayList<>()).add(p);
    }
    for (List<Pair> group : byPromptLength.values()) {
      List<int[]> prompts = group.stream().map(p -> PairBatch.prompt(tokenizer, p.source())).toList();
      int[][] out = evaluator.generate(Batch.languageModel(Padding.ids(prompts, SpecialToken.PAD.id()), null),
          greedy);                                                                 // prompts (B, T)
      for (int i = 0; i < group.size(); i++) {
        matches += Arrays.equals(out[i], PairBatch.answer(tokenizer, group.get(i).target())) ? 1 : 0;
      }
    }
    return matches;
  }

  private Batch batch(List<Pair> pairs) {
    return PairBatch.of(tokenizer, format, pairs.stream().map(Pair::source).toList(),
        pairs.stream().map(Pair::target).toList());
  }

  private int trainingIndex(SplittableRandom random) {
    for (int attempt = 0; attempt < 10_000; attempt++) {
      int index = random.nextInt(size());
      if (!HeldOut.contains(index, HELD_OUT)) {
        return index;
      }
    }
    throw new ConfigException("task '" + name + "': no training items among " + size() + "; enlarge the universe");
  }

  private int[] heldOutIndices() {
    return java.util.stream.IntStream.range(0, size()).filter(i -> HeldOut.contains(i, HELD_OUT)).toArray();
  }

  /** Training pairs after {@link #prepare}, for tests. */
  public List<Pair> trainPairs() {
    return List.copyOf(train);
  }

  /** Evaluation pairs after {@link #prepare}, for tests. */
  public List<Pair> evalPairs() {
    return List.copyOf(eval);
  }
}
