package io.ablate.cli.template;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What {@code ablate new-plugin} generates for one family: its template folder, the conformance-kit
 * contract its test extends, and which of that contract's capabilities the template's component has.
 */
public enum FamilyTemplate {
  /** Multi-head scaled dot-product attention with a temperature option. */
  ATTENTION("attention", "AttentionContract", "attention", "multi-head scaled dot-product attention",
      false, capability -> true, List.of()),
  /** A per-head linear distance bias on the logits (SCORES hook). */
  POSITIONAL("positional", "PositionalContract", "positional",
      "relative positional encoding (a per-head distance bias on the attention scores)",
      false, FamilyTemplate::describesScoreBias, List.of()),
  /** ScaleNorm. */
  NORMALIZATION("normalization", "NormalizationContract", "norm", "normalisation (ScaleNorm: g·x/‖x‖)",
      true, capability -> List.of("PADDING_INVARIANT", "POSITION_WISE", "UNIT_RMS_PER_POSITION").contains(capability),
      List.of("PADDING_INVARIANT", "POSITION_WISE", "UNIT_RMS_PER_POSITION")),
  /** A squared-ReLU MLP. */
  FEEDFORWARD("feedforward", "FeedForwardContract", "ffn", "feed-forward layer (squared-ReLU MLP)",
      true, capability -> false, null);

  /** Families the generator has no template for yet. */
  public static final List<String> UNSUPPORTED = List.of("tokenizer", "embedding", "architecture", "task");

  private final String family;
  private final String contract;
  private final String modelKey;
  private final String summary;
  private final boolean contractRequired;
  private final Predicate<String> claims;
  private final List<String> claimsWithoutProbe;

  /**
   * @param contractRequired the kit has this contract in every supported Ablate version: the test always extends it
   * @param claims which of the contract's capabilities the template's component has
   * @param claimsWithoutProbe what to claim when the installed kit could not be inspected (null: no capabilities())
   */
  FamilyTemplate(String family, String contract, String modelKey, String summary, boolean contractRequired,
      Predicate<String> claims, List<String> claimsWithoutProbe) {
    this.family = family;
    this.contract = contract;
    this.modelKey = modelKey;
    this.summary = summary;
    this.contractRequired = contractRequired;
    this.claims = claims;
    this.claimsWithoutProbe = claimsWithoutProbe;
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

  public boolean contractRequired() {
    return contractRequired;
  }

  public boolean claims(String capability) {
    return claims.test(capability);
  }

  public List<String> claimsWithoutProbe() {
    return claimsWithoutProbe;
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

  /** A capability of a relative, score-biasing encoding (what the positional template is). */
  private static boolean describesScoreBias(String capability) {
    return Stream.of("RELATIVE", "SCORE", "BIAS", "DISTANCE", "TRANSLATION").anyMatch(capability::contains);
  }
}
