package io.ablate.spi.task;

import io.ablate.spi.Experimental;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.util.List;

/**
 * A task: its data, how batches are drawn, and its evaluation protocol. One instance serves one run.
 *
 * <p>The runner calls, in order: {@link #trainingText()} (to train the tokenizer and pre-train
 * embeddings), {@link #prepare} with the trained tokenizer, then {@link #trainBatch} every step and
 * {@link #evaluate} at evaluation points.
 */
@Experimental
public interface Task {
  /** What a model must be trained for to run this task. */
  Objective objective();

  /** The training split's text, for tokenizers and word2vec; empty for image tasks. */
  List<String> trainingText();

  /**
   * Encodes the data with the trained tokenizer and fixes the splits.
   *
   * @param seed the run's seed: generated data and splits depend on it and nothing else
   * @return what the model reads and predicts
   */
  ModelIO prepare(Tokenizer tokenizer, long seed);

  /** The next training batch, drawn with {@code rng}. */
  Batch trainBatch(int batchSize, Rng rng);

  /** Held-out evaluation of the model in its current state. */
  Evaluation evaluate(Evaluator evaluator);

  /**
   * The metrics {@link #evaluate} reports (and, for classification, the framework's {@code accuracy}
   * and {@code macro_f1} from its predictions), each with its direction. Reports rank variants by
   * these; an undeclared metric's direction is guessed from its name ({@code loss}, {@code error},
   * {@code perplexity} … lower is better). The task contract checks that every reported metric is declared.
   */
  default List<Metric> metrics() {
    return List.of();
  }
}
