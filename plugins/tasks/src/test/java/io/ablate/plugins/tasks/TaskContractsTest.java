package io.ablate.plugins.tasks;

import io.ablate.plugins.tasks.classification.FortunesTopicTask;
import io.ablate.plugins.tasks.classification.OrderSensitivityTask;
import io.ablate.plugins.tasks.image.FashionMnistTask;
import io.ablate.plugins.tasks.lm.BibleLmTask;
import io.ablate.plugins.tasks.lm.FortunesLmTask;
import io.ablate.plugins.tasks.pairs.DateNormalisationTask;
import io.ablate.plugins.tasks.pairs.NumberWordsTask;
import io.ablate.plugins.tasks.synthetic.Rule;
import io.ablate.plugins.tasks.synthetic.SequenceTask;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.testkit.TaskContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The task contract (batch shapes, same seed same data, wrong tokenizer refused, metrics declared,
 * disjoint splits where claimed) for every built-in task, on small options and bundled excerpts.
 * Synthetic tasks hold out validation and test items by a hash of the item ({@code ItemSplit}), so they
 * claim disjoint splits.
 */
class TaskContractsTest {
  /** A synthetic sequence task: its rule and options; held out by hash, so it claims disjoint splits. */
  abstract class SyntheticContract extends TaskContract<SequenceTask.Config> {
    private final Rule rule;
    private final String name;
    private final Map<String, Object> options;

    SyntheticContract(Rule rule, String name, Map<String, Object> options) {
      this.rule = rule;
      this.name = name;
      this.options = options;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected ComponentFactory<SequenceTask.Config, ?> factory() {
      return (ComponentFactory<SequenceTask.Config, ?>) SequenceTask.factory(rule, name);
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(options);
    }

    @Override
    protected ComponentSpec wrongTokenizer() {
      return ComponentSpec.of("patches");
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of(Capability.DISJOINT_SPLITS);
    }
  }

  @Nested
  class Copy extends SyntheticContract {
    Copy() {
      super(Rule.COPY, "copy", options("symbols", 4, "train_max_length", 4, "eval_max_length", 6, "eval_examples", 4));
    }
  }

  @Nested
  class Reverse extends SyntheticContract {
    Reverse() {
      super(Rule.REVERSE, "reverse", options("symbols", 4, "train_max_length", 4, "eval_max_length", 6,
          "eval_examples", 4));
    }
  }

  @Nested
  class Sort extends SyntheticContract {
    Sort() {
      super(Rule.SORT, "sort", options("symbols", 4, "train_max_length", 4, "eval_max_length", 6, "eval_examples", 4,
          "format", "seq2seq"));
    }
  }

  @Nested
  class Addition extends SyntheticContract {
    Addition() {
      super(Rule.ADDITION, "addition", options("train_max_length", 3, "eval_max_length", 4, "eval_examples", 4));
    }
  }

  @Nested
  class AssociativeRecall extends SyntheticContract {
    AssociativeRecall() {
      super(Rule.ASSOCIATIVE_RECALL, "associative-recall", options("train_max_length", 3, "eval_max_length", 4,
          "eval_examples", 4));
    }
  }

  @Nested
  class OrderSensitivity extends TaskContract<OrderSensitivityTask.Config> {
    @Override
    @SuppressWarnings("unchecked")
    protected ComponentFactory<OrderSensitivityTask.Config, ?> factory() {
      return (ComponentFactory<OrderSensitivityTask.Config, ?>) OrderSensitivityTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(options("train_examples", 100, "eval_examples", 40));
    }

    @Override
    protected ComponentSpec wrongTokenizer() {
      return ComponentSpec.of("patches");
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of(Capability.DISJOINT_SPLITS);
    }
  }

  @Nested
  class NumberWords extends TaskContract<NumberWordsTask.Config> {
    @Override
    @SuppressWarnings("unchecked")
    protected ComponentFactory<NumberWordsTask.Config, ?> factory() {
      return (ComponentFactory<NumberWordsTask.Config, ?>) NumberWordsTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(options("max_number", 9999, "train_examples", 200, "eval_examples", 20));
    }

    @Override
    protected ComponentSpec wrongTokenizer() {
      return ComponentSpec.of("patches");
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of(Capability.DISJOINT_SPLITS);
    }
  }

  @Nested
  class DateNormalisation extends TaskContract<DateNormalisationTask.Config> {
    @Override
    @SuppressWarnings("unchecked")
    protected ComponentFactory<DateNormalisationTask.Config, ?> factory() {
      return (ComponentFactory<DateNormalisationTask.Config, ?>) DateNormalisationTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(options("first_year", 2000, "last_year", 2001, "train_examples", 200, "eval_examples", 20));
    }

    @Override
    protected ComponentSpec wrongTokenizer() {
      return ComponentSpec.of("patches");
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of(Capability.DISJOINT_SPLITS);
    }
  }

  @Nested
  class LmBible extends TaskContract<BibleLmTask.Config> {
    @Override
    @SuppressWarnings("unchecked")
    protected ComponentFactory<BibleLmTask.Config, ?> factory() {
      return (ComponentFactory<BibleLmTask.Config, ?>) BibleLmTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(options("path", "src/test/resources/kjv/genesis-1.txt", "train_context", 16, "eval_contexts", java.util.List.of(16, 32), "scored_tokens", 8, "eval_windows", 4));
    }

    @Override
    protected ComponentSpec wrongTokenizer() {
      return ComponentSpec.of("patches");
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of();
    }
  }

  @Nested
  class LmFortunes extends TaskContract<FortunesLmTask.Config> {
    @Override
    @SuppressWarnings("unchecked")
    protected ComponentFactory<FortunesLmTask.Config, ?> factory() {
      return (ComponentFactory<FortunesLmTask.Config, ?>) FortunesLmTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(options("path", "src/test/resources/fortunes", "files", java.util.List.of("work"), "train_context", 16, "eval_contexts", java.util.List.of(16, 32), "scored_tokens", 8, "eval_windows", 4));
    }

    @Override
    protected ComponentSpec wrongTokenizer() {
      return ComponentSpec.of("patches");
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of();
    }
  }

  @Nested
  class FortunesTopic extends TaskContract<FortunesTopicTask.Config> {
    @Override
    @SuppressWarnings("unchecked")
    protected ComponentFactory<FortunesTopicTask.Config, ?> factory() {
      return (ComponentFactory<FortunesTopicTask.Config, ?>) FortunesTopicTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(options("path", "src/test/resources/fortunes", "categories", java.util.List.of("computers", "science", "work"), "max_per_category", 20, "max_length", 48));
    }

    @Override
    protected ComponentSpec wrongTokenizer() {
      return ComponentSpec.of("patches");
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of(Capability.DISJOINT_SPLITS);
    }
  }

  @Nested
  class FashionMnist extends TaskContract<FashionMnistTask.Config> {
    @Override
    @SuppressWarnings("unchecked")
    protected ComponentFactory<FashionMnistTask.Config, ?> factory() {
      return (ComponentFactory<FashionMnistTask.Config, ?>) FashionMnistTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(options("train_examples", 40, "eval_examples", 20));
    }

    @Override
    protected ComponentSpec wrongTokenizer() {
      return ComponentSpec.of("char");
    }

    @Override
    protected Set<Capability> capabilities() {
      return Set.of(Capability.DISJOINT_SPLITS);
    }

    @Override
    protected ComponentSpec tokenizer() {
      return new ComponentSpec("patches", options("patch", 7));
    }

    @BeforeEach
    void dataset() {
      Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
          "skipped: Debian package dataset-fashion-mnist is not installed");
    }
  }
}
