package io.ablate.bench;

/**
 * Shape of the GPT-style decoder the benchmark trains.
 *
 * <p>Pre-LN blocks: {@code h = h + attn(ln1(h)); h = h + ffn(ln2(h))}; learned absolute positions;
 * separate W_Q, W_K, W_V, W_O (D×D, with biases); exact-erf GELU FFN; final LayerNorm; LM head tied
 * to the token embedding; mean next-token cross-entropy; AdamW; no dropout; float32.
 */
public record BenchConfig(
    String name, int vocab, int dModel, int layers, int heads, int ffnHidden, int seqLen, int batch) {

  public static final BenchConfig TINY = new BenchConfig("tiny", 32, 64, 2, 4, 256, 32, 32);
  public static final BenchConfig SMALL = new BenchConfig("small", 256, 256, 4, 8, 1024, 128, 16);

  public static BenchConfig named(String name) {
    return switch (name) {
      case "tiny" -> TINY;
      case "small" -> SMALL;
      default -> throw new IllegalArgumentException(
          "unknown bench config '" + name + "' — known: tiny, small");
    };
  }

  /** This configuration with another sequence length (the learned position table follows it). */
  public BenchConfig withSeqLen(int length) {
    if (length < 2) {
      throw new IllegalArgumentException("the sequence length must be at least 2, got " + length);
    }
    return new BenchConfig(name, vocab, dModel, layers, heads, ffnHidden, length, batch);
  }

  public int headDim() {
    return dModel / heads;
  }

  public int tokensPerStep() {
    return batch * seqLen;
  }

  /** Number of trainable parameters (tied embedding counted once). */
  public long parameterCount() {
    long d = dModel;
    long perLayer = 4 * (d * d + d) + 2 * (2 * d) + (d * ffnHidden + ffnHidden) + (ffnHidden * d + d);
    return (long) vocab * d + (long) seqLen * d + layers * perLayer + 2 * d;
  }

  /**
   * FLOPs of one training step (forward + backward = 3 × forward), counting only matrix products:
   * the projections and FFN, the attention scores and mixing, and the tied LM head.
   */
  public double trainingFlopsPerStep() {
    double n = tokensPerStep();
    double d = dModel;
    double projections = 2 * n * (4 * d * d + 2 * d * ffnHidden);
    double attention = 2 * 2 * (double) batch * seqLen * seqLen * d;
    double head = 2 * n * d * vocab;
    return 3 * (layers * (projections + attention) + head);
  }
}
