package io.ablate.plugins.architectures.seq2seq;

import io.ablate.plugins.architectures.block.BlockOptions;
import io.ablate.plugins.architectures.block.Placement;
import io.ablate.plugins.architectures.block.Stack;
import io.ablate.plugins.architectures.block.TokenEmbedding;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.model.RunState;
import io.ablate.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code encoder-decoder}: the Transformer of Vaswani et al. (2017). A bidirectional encoder stack reads
 * the source; a decoder stack with causal self-attention and cross-attention to the encoder output (source
 * padding masked) predicts the target. Encoder and decoder each have their own positional encoding
 * (separate tables or biases when the encoding has parameters); the token embedding is shared between
 * source and target unless {@code shared_embeddings} is false.
 */
public final class EncoderDecoder implements Seq2SeqModel {
  /** Options of {@code encoder-decoder}. */
  public record Config(
      @Doc("model width D") @Default("64") int dModel,
      @Doc("blocks in the encoder and in the decoder, unless encoder_layers / decoder_layers are given")
      @Default("2") int layers,
      @Doc("encoder blocks (0 = embeddings only); default: layers") @Default(Default.NULL) Integer encoderLayers,
      @Doc("decoder blocks; default: layers") @Default(Default.NULL) Integer decoderLayers,
      @Doc("attention heads") @Default("4") int heads,
      @Doc("positional encoding component, one instance each for encoder and decoder")
      @Default("sinusoidal") ComponentSpec positional,
      @Doc("attention component, for self- and cross-attention") @Default("mha") ComponentSpec attention,
      @Doc("normalisation component") @Default("layernorm") ComponentSpec norm,
      @Doc("normalise before (pre) or after (post) each residual sub-layer") @Default("pre") Placement placement,
      @Doc("residual connections around each sub-layer") @Default("true") boolean residual,
      @Doc("feed-forward component") @Default("gelu") ComponentSpec ffn,
      @Doc("embedding initialisation component") @Default("random") ComponentSpec embedding,
      @Doc("one token embedding for source and target (tasks share one tokenizer)")
      @Default("true") boolean sharedEmbeddings,
      @Doc("share the output projection with the target token embedding") @Default("true") boolean tiedEmbeddings,
      @Doc("dropout on sub-layer outputs, in training only") @Default("0.0") double dropout,
      @Doc("beam search ranks hypotheses by log-probability / length^length_penalty (0 = raw log-probability)")
      @Default("1.0") double lengthPenalty) {
    public Config {
      if (layers < 1) {
        throw new IllegalArgumentException("layers must be at least 1, got " + layers);
      }
      if (encoderLayers != null && encoderLayers < 0) {
        throw new IllegalArgumentException("encoder_layers must be 0 or more, got " + encoderLayers);
      }
      if (decoderLayers != null && decoderLayers < 1) {
        throw new IllegalArgumentException("decoder_layers must be at least 1, got " + decoderLayers);
      }
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
      if (!Double.isFinite(lengthPenalty)) {
        throw new IllegalArgumentException("length_penalty must be a finite number, got " + lengthPenalty);
      }
    }

    public int encoderBlocks() {
      return encoderLayers == null ? layers : encoderLayers;
    }

    public int decoderBlocks() {
      return decoderLayers == null ? layers : decoderLayers;
    }
  }

  public static final ComponentFactory<Config, Model> FACTORY = Factories.of(Family.ARCHITECTURE,
      "encoder-decoder", "Transformer encoder-decoder for sequence-to-sequence tasks (Vaswani et al. 2017)",
      Config.class, EncoderDecoder::new);

  private final Config config;
  private final RunState state;
  private final int maxTargetLength;
  private final PositionalEncoding sourcePositions;
  private final PositionalEncoding targetPositions;
  private final TokenEmbedding sourceEmbedding;
  private final TokenEmbedding targetEmbedding;
  private final Stack encoder;
  private final Stack decoder;

  public EncoderDecoder(Config config, BuildContext context) {
    this.config = config;
    this.state = context.state();
    this.maxTargetLength = context.io().maxLength() > 0 ? context.io().maxLength() : Integer.MAX_VALUE;
    BuildContext c = context.withDims(new Dims(config.dModel(), config.heads()));
    int vocab = c.io().vocabSize();
    this.sourcePositions = c.scope("encoder.positional").create(Family.POSITIONAL, config.positional());
    this.targetPositions = c.scope("decoder.positional").create(Family.POSITIONAL, config.positional());
    // The INPUT hook is applied here, per stack, so one shared table can serve both sides.
    if (config.sharedEmbeddings()) {
      this.targetEmbedding = new TokenEmbedding(c.scope("embedding"), vocab, config.embedding(),
          PositionalEncoding.NONE, config.tiedEmbeddings());
      this.sourceEmbedding = targetEmbedding;
    } else {
      // "tied" = no output projection of its own: the source table never predicts tokens.
      this.sourceEmbedding = new TokenEmbedding(c.scope("source_embedding"), vocab, config.embedding(),
          PositionalEncoding.NONE, true);
      this.targetEmbedding = new TokenEmbedding(c.scope("target_embedding"), vocab, config.embedding(),
          PositionalEncoding.NONE, config.tiedEmbeddings());
    }
    BlockOptions options = new BlockOptions(config.attention(), config.norm(), config.placement(), config.residual(),
        config.ffn(), config.dropout());
    this.encoder = new Stack(c.scope("encoder").withPositional(sourcePositions), config.encoderBlocks(), options,
        false);
    this.decoder = new Stack(c.scope("decoder").withPositional(targetPositions), config.decoderBlocks(), options,
        true);
  }

  @Override
  public Set<Objective> objectives() {
    return Set.of(Objective.SEQ2SEQ);
  }

  /** (B, Tt, V) logits of the target token at every decoder position (teacher forcing). */
  @Override
  public Tensor logits(Batch batch) {
    if (batch.decoderTokens() == null) {
      throw new IllegalArgumentException("encoder-decoder needs a seq2seq batch (Batch.seq2seq) with decoder"
          + " tokens; got a " + batch.objective() + " batch");
    }
    Tensor memory = encodeSource(batch.tokens(), batch.tokenMask());                       // (B, S, D)
    Tensor h = decode(batch.decoderTokens(), batch.decoderMask(), memory, batch.tokenMask()); // (B, Tt, D)
    return targetEmbedding.logits(h);                                                       // (B, Tt, V)
  }

  @Override
  public int[][] generate(Batch batch, Decoding decoding) {
    return Seq2SeqSearch.generate(this, batch, decoding, config.lengthPenalty(), maxTargetLength, state);
  }

  @Override
  public PrefixScorer encode(INDArray source, INDArray sourceMask) {
    INDArray memory = encodeSource(source, sourceMask).value();                             // (B, S, D)
    return (prefixes, sources) -> {
      int t = (int) prefixes.size(1);
      Tensor rowsMemory = Tensor.constant(Rows.select(memory, sources));                    // (N, S, D)
      INDArray rowsMask = sourceMask == null ? null : Rows.select(sourceMask, sources);     // (N, S)
      Tensor h = decode(prefixes, null, rowsMemory, rowsMask);                              // (N, t, D)
      Tensor last = targetEmbedding.logits(h.slice(1, t - 1, t));                           // (N, 1, V)
      return last.reshape(prefixes.size(0), -1).logSoftmax(-1).value();                   // (N, V)
    };
  }

  /** (B, S) → (B, S, D); outputs at padded positions are never read (cross-attention masks them). */
  private Tensor encodeSource(INDArray source, INDArray sourceMask) {
    Tensor h = withPositions(sourceEmbedding.embed(source), sourcePositions);              // (B, S, D)
    return encoder.forward(h, sourceMask, AttentionMask.padding(sourceMask), null, null);
  }

  /** Decoder ids (B, Tt) attending to memory (B, S, D) → (B, Tt, D). */
  private Tensor decode(INDArray targetIds, INDArray targetMask, Tensor memory, INDArray sourceMask) {
    Tensor h = withPositions(targetEmbedding.embed(targetIds), targetPositions);           // (B, Tt, D)
    // One position needs no causal mask, and must not get one: ND4J M2.1's Nd4j.tri (behind
    // Masks.causal) returns zeros for a 1×1 matrix, which would hide the only key.
    boolean causal = targetIds.size(1) > 1;
    return decoder.forward(h, targetMask, new AttentionMask(causal, targetMask), memory,
        AttentionMask.padding(sourceMask));
  }

  private static Tensor withPositions(Tensor embedded, PositionalEncoding positions) {
    return positions.hooks().contains(Hook.INPUT) ? positions.embed(embedded) : embedded;
  }
}
