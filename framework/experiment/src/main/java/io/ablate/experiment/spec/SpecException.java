package io.ablate.experiment.spec;

import io.ablate.spi.ConfigException;

/** A problem in a study spec, located: {@code file:line:col: key: message}. */
public final class SpecException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public SpecException(Location location, String key, String message) {
    super((location == null ? "" : location + ": ") + (key == null || key.isEmpty() ? "" : key + ": ") + message);
  }
}
