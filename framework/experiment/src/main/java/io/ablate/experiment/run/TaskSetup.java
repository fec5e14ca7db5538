package io.ablate.experiment.run;

import io.ablate.core.model.ModelContext;
import io.ablate.core.model.ParameterStore;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.spec.Sections;
import io.ablate.spi.Family;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.RunState;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.spi.text.Tokenizer;
import io.ablate.tensor.Rng;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A variant's task and tokenizer, set up the one way runs, sizes and baselines all need it: both created
 * from the config, a text tokenizer trained on the task's training text, then the task prepared with it
 * for the seed.
 *
 * @param io what the model reads and predicts
 * @param corpus the training text encoded by the tokenizer (for embedding pre-training), or empty
 */
public record TaskSetup(Task task, Tokenizer tokenizer, ModelIO io, TokenCorpus corpus) {
  /**
   * @param rng the run's setup generator (tasks and tokenizers draw from it while they are created)
   * @param encodeCorpus whether to encode the training text into {@link #corpus} (only training needs it)
   */
  public static TaskSetup prepare(Registry registry, Map<String, Object> config, long seed, Rng rng,
      boolean encodeCorpus) {
    return create(registry, config, rng).prepare(seed, encodeCorpus);
  }

  /** The task and tokenizer, created but not trained or prepared (cheap: to look at the task first). */
  public static Created create(Registry registry, Map<String, Object> config, Rng rng) {
    ModelContext setup = new ModelContext(registry, new ParameterStore(DataType.FLOAT, rng), null, new RunState(), rng,
        TokenCorpus.EMPTY);
    return new Created(registry.create(Family.TASK, Sections.task(config), setup, "base.task"),
        registry.create(Family.TOKENIZER, Sections.tokenizer(config), setup, "base.tokenizer"));
  }

  /** A task and tokenizer before training and preparation. */
  public record Created(Task task, Tokenizer tokenizer) {
    public TaskSetup prepare(long seed, boolean encodeCorpus) {
      return TaskSetup.prepare(task, tokenizer, seed, encodeCorpus);
    }
  }

  private static TaskSetup prepare(Task task, Tokenizer tokenizer, long seed, boolean encodeCorpus) {
    TokenCorpus corpus = TokenCorpus.EMPTY;
    if (tokenizer instanceof TextTokenizer text) {
      List<String> training = task.trainingText();
      text.train(training);
      if (encodeCorpus) {
        corpus = new TokenCorpus(training.stream().map(text::encode).toList(), text.vocabSize());
      }
    }
    return new TaskSetup(task, tokenizer, task.prepare(tokenizer, seed), corpus);
  }
}
