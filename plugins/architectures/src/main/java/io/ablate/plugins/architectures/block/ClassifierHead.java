package io.ablate.plugins.architectures.block;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ConfigException;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;

/** Class logits from the first position ([CLS]) of a stack's output: Linear(D → classes). */
public final class ClassifierHead {
  private final Linear classifier;

  /** @param context scoped to the head, with dims set; {@code io().classes()} gives the output width */
  public ClassifierHead(BuildContext context) {
    int classes = context.io().classes();
    if (classes < 2) {
      throw new ConfigException(context.path() + ": a classifier needs at least 2 classes, the task declares "
          + classes);
    }
    this.classifier = new Linear(context.params(), "classifier", context.dims().dModel(), classes, true);
  }

  /** (B, T, D) → (B, C). */
  public Tensor forward(Tensor h) {
    Tensor pooled = h.slice(1, 0, 1).reshape(h.size(0), h.size(2));            // (B, D) at [CLS]
    return classifier.forward(pooled);                                          // (B, C)
  }
}
