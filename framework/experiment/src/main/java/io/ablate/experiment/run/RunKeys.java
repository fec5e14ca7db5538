package io.ablate.experiment.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ablate.experiment.spec.Variant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Run identity: SHA-256 of the canonical JSON of (resolved config, seed, code version). */
public final class RunKeys {
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private RunKeys() {}

  /** The version of Ablate running, from the jar manifest ({@code dev} when run from classes). */
  public static String codeVersion() {
    String v = RunKeys.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static RunSpec spec(String study, Variant variant, long seed) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("config", variant.config());
    identity.put("seed", seed);
    identity.put("code_version", codeVersion());
    String hash = sha256(canonical(identity));
    return new RunSpec(study, variant, seed, variant.name() + "--seed-" + seed, hash);
  }

  /** Identity of a variant across seeds (its config and the code version): its parent run in a tracker. */
  public static String variantKey(String study, Variant variant) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("study", study);
    identity.put("config", variant.config());
    identity.put("code_version", codeVersion());
    return "variant-" + sha256(canonical(identity));
  }

  static String canonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
