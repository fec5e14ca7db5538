package io.ablate.plugins.tasks.lm;

import io.ablate.spi.task.Metric;
import io.ablate.spi.ConfigException;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Causal language modelling over a corpus of text segments (verses, quotes), each ending in a
 * newline. The first {@code 1 - eval_fraction} of the segments train, the tail is held out.
 *
 * <p>Training draws random windows of {@code train_context + 1} tokens (tokens = window[:-1],
 * targets = window[1:]). Evaluation fixes {@code eval_windows} end positions evenly spread over the
 * held-out tokens; at every context length N the window of N inputs ending at each position scores
 * the same last {@code scored_tokens} targets, so longer contexts predict the same tokens with more
 * history. Metrics per N: {@code loss@ctx=N} (mean nats per scored token), {@code perplexity@ctx=N}
 * and {@code bits_per_char@ctx=N} (total nats / ln 2 / characters of the scored tokens, comparable
 * between char and BPE tokenizers); the headline {@code loss}, {@code perplexity},
 * {@code bits_per_char} are at train_context.
 */
public final class LanguageModelTask implements Task {
  private static final int CHUNK = 32;

  private final String name;
  private final LmOptions options;
  private final Supplier<List<String>> corpus;
  private List<String> segments;
  private int trainSegments;
  private TextTokenizer tokenizer;
  private int[] trainIds;
  private int[] evalIds;

  public LanguageModelTask(String name, LmOptions options, Supplier<List<String>> corpus) {
    this.name = name;
    this.options = options;
    this.corpus = corpus;
  }

  @Override
  public Objective objective() {
    return Objective.LANGUAGE_MODEL;
  }

  /** The training split: the leading segments, never the held-out tail. */
  @Override
  public List<String> trainingText() {
    load();
    return segments.subList(0, trainSegments);
  }

  @Override
  public ModelIO prepare(Tokenizer tokenizer, long seed) {
    if (!(tokenizer instanceof TextTokenizer text)) {
      throw new ConfigException("task '" + name + "' needs a text tokenizer (char, bpe, …), got "
          + tokenizer.getClass().getSimpleName());
    }
    load();
    this.tokenizer = text;
    trainIds = encode(segments.subList(0, trainSegments));
    evalIds = encode(segments.subList(trainSegments, segments.size()));
    if (trainIds.length < options.trainContext() + 2) {
      throw new ConfigException("task '" + name + "': the training split has " + trainIds.length
          + " tokens, fewer than train_context + 2 = " + (options.trainContext() + 2) + "; raise max_chars");
    }
    if (evalIds.length < options.longestContext() + 1) {
      throw new ConfigException("task '" + name + "': the held-out split has " + evalIds.length
          + " tokens, fewer than the longest context + 1 = " + (options.longestContext() + 1)
          + "; raise max_chars or eval_fraction, or shorten eval_contexts");
    }
    return ModelIO.languageModel(text.vocabSize(), options.longestContext());
  }

  @Override
  public Batch trainBatch(int batchSize, Rng rng) {
    SplittableRandom random = new SplittableRandom(rng.nextSeed());
    int t = options.trainContext();
    long[][] tokens = new long[batchSize][t];
    long[][] targets = new long[batchSize][t];
    for (int b = 0; b < batchSize; b++) {
      int start = random.nextInt(trainIds.length - t);          // window of t + 1 tokens
      for (int i = 0; i < t; i++) {
        tokens[b][i] = trainIds[start + i];
        targets[b][i] = trainIds[start + i + 1];
      }
    }
    return Batch.languageModel(Nd4j.createFromArray(tokens), Nd4j.createFromArray(targets));   // (B, T) both
  }

  @Override
  public java.util.List<Metric> metrics() {
    return java.util.List.of(Metric.lower("loss").perLengthToo(), Metric.lower("perplexity").perLengthToo(),
        Metric.lower("bits_per_char").perLengthToo());
  }

  @Override
  public Evaluation evaluate(Evaluator evaluator) {
    int[] ends = windowEnds();
    TreeSet<Integer> contexts = new TreeSet<>(options.evalContexts());
    contexts.add(options.trainContext());
    Map<String, Double> perContext = new LinkedHashMap<>();
    Map<String, Double> headline = new LinkedHashMap<>();
    for (int n : contexts) {
      double nats = 0;
      long chars = 0;
      for (int start = 0; start < ends.length; start += CHUNK) {
        int[] chunk = Arrays.copyOfRange(ends, start, Math.min(ends.length, start + CHUNK));
        Batch batch = window(chunk, n);
        nats += evaluator.loss(batch) * chunk.length * options.scoredTokens();   // mean over scored targets
        for (int end : chunk) {
          chars += tokenizer.decode(Arrays.copyOfRange(evalIds, end - options.scoredTokens(), end)).length();
        }
      }
      double loss = nats / ((double) ends.length * options.scoredTokens());
      double bpc = nats / Math.log(2) / Math.max(1, chars);
      if (options.evalContexts().contains(n)) {
        perContext.put("loss@ctx=" + n, loss);
        perContext.put("perplexity@ctx=" + n, Math.exp(loss));
        perContext.put("bits_per_char@ctx=" + n, bpc);
      }
      if (n == options.trainContext()) {
        headline.put("loss", loss);
        headline.put("perplexity", Math.exp(loss));
        headline.put("bits_per_char", bpc);
      }
    }
    headline.putAll(perContext);
    return Evaluation.of(headline);
  }

  /**
   * Windows of {@code n} inputs whose targets end at each {@code end} (exclusive), scoring only the
   * last scored_tokens targets: (B, n) tokens and targets.
   */
  public Batch window(int[] ends, int n) {
    long[][] tokens = new long[ends.length][n];
    long[][] targets = new long[ends.length][n];
    for (int b = 0; b < ends.length; b++) {
      int first = ends[b] - n - 1;                           // the window is evalIds[first, end)
      for (int i = 0; i < n; i++) {
        tokens[b][i] = evalIds[first + i];
        targets[b][i] = i >= n - options.scoredTokens() ? evalIds[first + i + 1] : Batch.IGNORE;
      }
    }
    return Batch.languageModel(Nd4j.createFromArray(tokens), Nd4j.createFromArray(targets));   // (B, n) both
  }

  /** Fixed end positions, evenly spread over the held-out tokens, far enough in for the longest context. */
  public int[] windowEnds() {
    int lowest = options.longestContext() + 1;
    int span = evalIds.length - lowest;
    int count = Math.min(options.evalWindows(), span + 1);
    int[] ends = new int[count];
    for (int i = 0; i < count; i++) {
      ends[i] = lowest + (int) ((long) span * i / Math.max(1, count - 1));
    }
    return ends;
  }

  private void load() {
    if (segments != null) {
      return;
    }
    List<String> all = new ArrayList<>();
    long chars = 0;
    for (String segment : corpus.get()) {
      String line = segment + "\n";
      if (options.maxChars() > 0 && chars + line.length() > options.maxChars()) {
        break;
      }
      all.add(line);
      chars += line.length();
    }
    if (all.size() < 2) {
      throw new ConfigException("task '" + name + "': the corpus has " + all.size() + " segment(s)"
          + (options.maxChars() > 0 ? " within max_chars " + options.maxChars() + "; raise max_chars"
          : "; a language model needs at least two (check `passage`, `path` or `files`)"));
    }
    segments = List.copyOf(all);
    trainSegments = Math.max(1, Math.min(all.size() - 1, (int) Math.round(all.size() * (1 - options.evalFraction()))));
  }

  private int[] encode(List<String> text) {
    List<int[]> parts = new ArrayList<>(text.size());
    int total = 0;
    for (String s : text) {
      int[] ids = tokenizer.encode(s);
      parts.add(ids);
      total += ids.length;
    }
    int[] out = new int[total];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Token ids of the training split after {@link #prepare}. */
  public int[] trainIds() {
    return trainIds.clone();
  }

  /** Token ids of the held-out split after {@link #prepare}. */
  public int[] evalIds() {
    return evalIds.clone();
  }
}
