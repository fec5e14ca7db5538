package io.ablate.spi.model;

import io.ablate.spi.ConfigException;

/** Width and head count of the stack a component belongs to. */
public record Dims(int dModel, int heads) {
  public Dims {
    if (dModel <= 0 || heads <= 0) {
      throw new ConfigException("d_model and heads must be positive, got d_model=" + dModel + ", heads=" + heads);
    }
    if (dModel % heads != 0) {
      throw new ConfigException("d_model (" + dModel + ") must be divisible by heads (" + heads + ")");
    }
  }

  /** Per-head width {@code Dh = d_model / heads}. */
  public int headDim() {
    return dModel / heads;
  }
}
