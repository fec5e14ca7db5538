package io.ablate.experiment.spec;

/**
 * A spec's {@code tracking:} section.
 *
 * @param uri MLflow tracking URI ({@code http://host:5000}, a folder, {@code none}), or null
 * @param experiment MLflow experiment name, or null for the study's name
 */
public record Tracking(String uri, String experiment) {
  public static final Tracking NONE = new Tracking(null, null);
}
