package io.ablate.cli.template;

import java.util.List;
import java.util.Locale;

/**
 * What {@code ablate new-plugin} generates for one family: its template folder and the conformance-kit
 * contract its generated test extends ({@code ablate-testkit} of the same Ablate version, through the BOM).
 */
public enum FamilyTemplate {
  /** Multi-head scaled dot-product attention with a temperature option. */
  ATTENTION("attention", "AttentionContract", "attention", "multi-head scaled dot-product attention"),
  /** A per-head linear distance bias on the logits (SCORES hook). */
  POSITIONAL("positional", "PositionalContract", "positional",
      "relative positional encoding (a per-head distance bias on the attention scores)"),
  /** ScaleNorm. */
  NORMALIZATION("normalization", "NormalizationContract", "norm", "normalisation (ScaleNorm: g·x/‖x‖)"),
  /** A squared-ReLU MLP. */
  FEEDFORWARD("feedforward", "FeedForwardContract", "ffn", "feed-forward layer (squared-ReLU MLP)");

  /** Families the generator has no template for yet. */
  public static final List<String> UNSUPPORTED = List.of("tokenizer", "embedding", "architecture", "task");

  private final String family;
  private final String contract;
  private final String modelKey;
  private final String summary;

  FamilyTemplate(String family, String contract, String modelKey, String summary) {
    this.family = family;
    this.contract = contract;
    this.modelKey = modelKey;
    this.summary = summary;
  }

  /** The family id, as in YAML and in {@code ablate plugins}. */
  public String family() {
    return family;
  }

  /** The fully qualified name of the family's contract in the conformance kit. */
  public String contractClass() {
    return "io.ablate.testkit." + contract;
  }

  public String contractSimpleName() {
    return contract;
  }

  /** The key under {@code model:} in a study. */
  public String modelKey() {
    return modelKey;
  }

  /** What the generated component is, for the README. */
  public String summary() {
    return summary;
  }

  /** The resource folder of the family's files. */
  String folder() {
    return family;
  }

  /** The template for a family id, or null. */
  public static FamilyTemplate of(String family) {
    for (FamilyTemplate t : values()) {
      if (t.family.equals(family.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    return null;
  }
}
