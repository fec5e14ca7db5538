package io.ablate.experiment.run;

import io.ablate.experiment.spec.ConfigPaths;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A lower bound on the memory one training step of a variant needs, from its config alone (nothing is
 * allocated): float32 parameters with their gradient and two Adam moments, plus the activations kept
 * for the backward pass. A variant that cannot fit is refused before anything trains, with the figure.
 *
 * <p>Per block and token: about 10·D floats of projections and residuals plus 2·F of feed-forward
 * (F the hidden width); per block and head: the T × T attention scores and their softmax. Embedding
 * tables are left out (the vocabulary is not known yet), so this is an underestimate.
 */
public record MemoryEstimate(long parameters, long parameterBytes, long activationBytes, int batch, int tokens) {
  /** Sequence length assumed when the config does not say (the validator's probe length). */
  static final int TOKENS = 64;

  public long bytes() {
    return Math.min(parameterBytes + activationBytes, (long) 1e18);
  }

  public static MemoryEstimate of(Map<String, Object> config) {
    long d = number(config, "model.d_model", 64);
    long layers = number(config, "model.layers", 2);
    Object encoder = ConfigPaths.get(config, "model.encoder_layers");
    Object decoder = ConfigPaths.get(config, "model.decoder_layers");
    if (encoder instanceof Number || decoder instanceof Number) {
      layers = number(config, "model.encoder_layers", layers) + number(config, "model.decoder_layers", layers);
    }
    long heads = number(config, "model.heads", 4);
    long hidden = number(config, "model.ffn.hidden", 4 * d);
    int batch = (int) number(config, "train.batch", 32);
    long t = TOKENS;
    double parameters = (double) layers * (4.0 * d * d + 2.0 * d * hidden);
    double activations = (double) layers * batch * (t * (10.0 * d + 2.0 * hidden) + 2.0 * heads * t * t);
    return new MemoryEstimate(capped(parameters), capped(16 * parameters), capped(4 * activations), batch, (int) t);
  }

  private static long capped(double v) {
    return (long) Math.min(v, 1e18);
  }

  /**
   * The memory ND4J may allocate: the machine's (or container's) RAM. Not JavaCPP's {@code maxBytes}:
   * ND4J's native buffers are not counted against it (measured: a 1.4 GB array allocates under
   * {@code -Xmx1g}, with {@code Pointer.totalBytes()} at 16).
   */
  public static long available() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Long.MAX_VALUE;
  }

  /** Why this variant cannot fit in {@code available} bytes, or empty if it may. */
  public Optional<String> refusal(long available) {
    if (bytes() <= available) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "this model cannot fit in memory: it needs at least %s "
        + "(%,d parameters × 16 bytes with gradients and Adam state = %s, activations at batch %d × %d tokens = "
        + "%s) but this machine has %s of memory; lower d_model, layers or train.batch", human(bytes()), parameters,
        human(parameterBytes), batch, tokens, human(activationBytes), human(available)));
  }

  static String human(long bytes) {
    double b = bytes;
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }

  private static long number(Map<String, Object> config, String path, long fallback) {
    Object v = ConfigPaths.get(config, path);
    return v instanceof Number n && n.longValue() > 0 ? Math.min(n.longValue(), 1L << 24) : fallback;
  }
}
