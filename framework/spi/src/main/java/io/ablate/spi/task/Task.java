package io.ablate.spi.task;

import io.ablate.spi.Experimental;
import io.ablate.spi.model.Objective;

/**
 * A task: data, loss and evaluation protocol. The data and evaluation methods are being designed
 * together with the study runner and will be added in a minor SPI version.
 */
@Experimental
public interface Task {
  /** What a model must be trained for to run this task. */
  Objective objective();
}
