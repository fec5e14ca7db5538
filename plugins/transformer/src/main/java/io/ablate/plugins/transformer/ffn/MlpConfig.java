package io.ablate.plugins.transformer.ffn;

import io.ablate.spi.Default;
import io.ablate.spi.Doc;

/**
 * Options of the two-layer feed-forward layers ({@code gelu}, {@code relu}).
 *
 * @param hidden the hidden width; 0 means 4·d_model
 * @param dropout dropout after the activation, in training only
 */
public record MlpConfig(
    @Doc("hidden width; 0 means 4·d_model") @Default("0") int hidden,
    @Doc("dropout after the activation, in training only") @Default("0.0") double dropout) {
  public MlpConfig {
    if (hidden < 0) {
      throw new IllegalArgumentException("hidden must be ≥ 0 (0 = 4·d_model), got " + hidden);
    }
    FeedForwardChecks.dropout(dropout);
  }
}
