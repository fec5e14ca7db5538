package io.ablate.plugins.tasks;

import io.ablate.plugins.tasks.classification.FortunesTopicTask;
import io.ablate.plugins.tasks.classification.OrderSensitivityTask;
import io.ablate.plugins.tasks.image.FashionMnistTask;
import io.ablate.plugins.tasks.lm.BibleLmTask;
import io.ablate.plugins.tasks.lm.FortunesLmTask;
import io.ablate.plugins.tasks.pairs.DateNormalisationTask;
import io.ablate.plugins.tasks.pairs.NumberWordsTask;
import io.ablate.plugins.tasks.synthetic.RepeatedTokensTask;
import io.ablate.plugins.tasks.synthetic.Rule;
import io.ablate.plugins.tasks.synthetic.SequenceTask;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Plugin;
import io.ablate.spi.Spi;
import java.util.List;

/** Built-in tasks. */
public final class TasksPlugin implements Plugin {
  @Override
  public String name() {
    return "ablate-tasks";
  }

  @Override
  public String spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public List<ComponentFactory<?, ?>> factories() {
    return List.of(
        SequenceTask.factory(Rule.COPY, "Copy a random string of symbols (length generalisation)"),
        SequenceTask.factory(Rule.REVERSE, "Reverse a random string of symbols (length generalisation)"),
        SequenceTask.factory(Rule.SORT, "Sort a random string of symbols (length generalisation)"),
        SequenceTask.factory(Rule.ADDITION, "Add two numbers of n digits each (length generalisation over n)"),
        SequenceTask.factory(Rule.ASSOCIATIVE_RECALL,
            "Recall the value of a queried key after n key-value pairs (length generalisation over n)"),
        RepeatedTokensTask.FACTORY,
        OrderSensitivityTask.FACTORY,
        FashionMnistTask.FACTORY,
        NumberWordsTask.FACTORY,
        DateNormalisationTask.FACTORY,
        BibleLmTask.FACTORY,
        FortunesLmTask.FACTORY,
        FortunesTopicTask.FACTORY);
  }
}
