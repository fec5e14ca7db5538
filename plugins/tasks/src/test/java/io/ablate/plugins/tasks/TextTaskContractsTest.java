package io.ablate.plugins.tasks;

import io.ablate.plugins.tasks.classification.FortunesTopicTask;
import io.ablate.plugins.tasks.lm.BibleLmTask;
import io.ablate.plugins.tasks.lm.FortunesLmTask;
import io.ablate.plugins.tasks.pairs.DateNormalisationTask;
import io.ablate.plugins.tasks.pairs.NumberWordsTask;
import io.ablate.spi.ComponentFactory;
import io.ablate.testkit.ComponentContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The component contract (names, config round trip, unknown keys, registration) for every text task. */
class TextTaskContractsTest {
  @Nested
  class LmBible extends ComponentContract<BibleLmTask.Config> {
    @Override
    protected ComponentFactory<BibleLmTask.Config, ?> factory() {
      return BibleLmTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(Map.of(), Map.of("passage", "john1:1-21:25", "eval_contexts", List.of(64, 512)));
    }
  }

  @Nested
  class LmFortunes extends ComponentContract<FortunesLmTask.Config> {
    @Override
    protected ComponentFactory<FortunesLmTask.Config, ?> factory() {
      return FortunesLmTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(Map.of(), Map.of("files", List.of("science", "work"), "max_chars", 100000));
    }
  }

  @Nested
  class FortunesTopic extends ComponentContract<FortunesTopicTask.Config> {
    @Override
    protected ComponentFactory<FortunesTopicTask.Config, ?> factory() {
      return FortunesTopicTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(Map.of(), Map.of("categories", List.of("law", "food"), "max_length", 64));
    }
  }

  @Nested
  class NumberWords extends ComponentContract<NumberWordsTask.Config> {
    @Override
    protected ComponentFactory<NumberWordsTask.Config, ?> factory() {
      return NumberWordsTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(Map.of(), Map.of("language", "zh", "direction", "digits_to_words", "format", "lm"));
    }
  }

  @Nested
  class DateNormalisation extends ComponentContract<DateNormalisationTask.Config> {
    @Override
    protected ComponentFactory<DateNormalisationTask.Config, ?> factory() {
      return DateNormalisationTask.FACTORY;
    }

    @Override
    protected List<Map<String, Object>> exampleOptions() {
      return List.of(Map.of(), Map.of("first_year", 2000, "last_year", 2001));
    }
  }
}
