package io.ablate.plugins.architectures.rnn;

import io.ablate.plugins.architectures.seq2seq.PrefixScorer;
import io.ablate.plugins.architectures.seq2seq.Rows;
import io.ablate.plugins.architectures.seq2seq.Seq2SeqModel;
import io.ablate.plugins.architectures.seq2seq.Seq2SeqSearch;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.EmbeddingInit;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.RunState;
import io.ablate.spi.nn.Embedding;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Dropout;
import io.ablate.tensor.ops.Shapes;
import io.ablate.tensor.ops.Softmax;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code rnn-attention}: the pre-Transformer baseline of Bahdanau, Cho and Bengio (2015). A (bi)directional
 * GRU annotates the source; a GRU decoder reads it through additive attention:
 *
 * <pre>
 *   s_0 = tanh(W_init [→h_last; ←h_first] + b)
 *   c_t = Σ_j α_tj h_j,   α_t = softmax_j(vᵀ tanh(W_s s_(t−1) + W_h h_j))   (padding masked)
 *   s_t = GRU([E y_(t−1); c_t], s_(t−1))
 *   logits_t = W_o [s_t; c_t] + b_o
 * </pre>
 *
 * Teacher forcing runs one Java step per time step over batched tensor ops. The decoder input is
 * assumed right-padded (padding only after the last real token), which {@code Batch.seq2seq} layouts
 * are: a padded position's logits are never scored and cannot affect earlier positions.
 */
public final class RnnAttention implements Seq2SeqModel {
  /** Options of {@code rnn-attention}. */
  public record Config(
      @Doc("token embedding width E") @Default("64") int embeddingDim,
      @Doc("GRU state width H (per direction in the encoder)") @Default("64") int hidden,
      @Doc("additive attention width A; default: hidden") @Default(Default.NULL) Integer attentionDim,
      @Doc("encode the source in both directions") @Default("true") boolean bidirectional,
      @Doc("embedding initialisation component") @Default("random") ComponentSpec embedding,
      @Doc("one token embedding for source and target (tasks share one tokenizer)")
      @Default("true") boolean sharedEmbeddings,
      @Doc("dropout on embeddings and on the output layer's input, in training only") @Default("0.0") double dropout,
      @Doc("beam search ranks hypotheses by log-probability / length^length_penalty (0 = raw log-probability)")
      @Default("1.0") double lengthPenalty) {
    public Config {
      if (embeddingDim < 1 || hidden < 1 || (attentionDim != null && attentionDim < 1)) {
        throw new IllegalArgumentException("embedding_dim, hidden and attention_dim must be positive, got "
            + "embedding_dim=" + embeddingDim + ", hidden=" + hidden + ", attention_dim=" + attentionDim);
      }
      if (dropout < 0 || dropout >= 1) {
        throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
      }
      if (!Double.isFinite(lengthPenalty)) {
        throw new IllegalArgumentException("length_penalty must be a finite number, got " + lengthPenalty);
      }
    }

    public int attentionWidth() {
      return attentionDim == null ? hidden : attentionDim;
    }
  }

  public static final ComponentFactory<Config, Model> FACTORY = Factories.of(Family.ARCHITECTURE, "rnn-attention",
      "GRU encoder-decoder with additive attention, the pre-Transformer baseline (Bahdanau et al. 2015)",
      Config.class, RnnAttention::new);

  private final Config config;
  private final RunState state;
  private final Rng rng;
  private final String path;
  private final Embedding sourceEmbedding;
  private final Embedding targetEmbedding;
  private final GruEncoder encoder;
  private final Linear bridge;
  private final AdditiveAttention attention;
  private final GruCell decoder;
  private final Linear output;

  public RnnAttention(Config config, BuildContext context) {
    this.config = config;
    this.state = context.state();
    this.rng = context.rng();
    this.path = context.path();
    int vocab = context.io().vocabSize();
    int e = config.embeddingDim();
    int h = config.hidden();
    this.targetEmbedding = embedding(context.scope(config.sharedEmbeddings() ? "embedding" : "target_embedding"),
        vocab, config);
    this.sourceEmbedding = config.sharedEmbeddings() ? targetEmbedding
        : embedding(context.scope("source_embedding"), vocab, config);
    this.encoder = new GruEncoder(context.scope("encoder"), e, h, config.bidirectional());
    int c = encoder.width();
    this.bridge = new Linear(context.scope("bridge").params(), "linear", c, h, true);
    this.attention = new AdditiveAttention(context.scope("attention").params(), h, c, config.attentionWidth());
    this.decoder = new GruCell(context.scope("decoder").params(), e + c, h);
    this.output = new Linear(context.params(), "output", h + c, vocab, true);
  }

  private static Embedding embedding(BuildContext context, int vocab, Config config) {
    EmbeddingInit init = context.withDims(new Dims(config.embeddingDim(), 1))
        .create(Family.EMBEDDING, config.embedding());
    INDArray initial = init.initialise(vocab, config.embeddingDim(), context.params().type(), context.corpus(),
        context.rng());
    return new Embedding(context.params(), "token", initial);
  }

  @Override
  public Set<Objective> objectives() {
    return Set.of(Objective.SEQ2SEQ);
  }

  /** (B, Tt, V) logits of the target token at every decoder position (teacher forcing). */
  @Override
  public Tensor logits(Batch batch) {
    if (batch.decoderTokens() == null) {
      throw new IllegalArgumentException("rnn-attention needs a seq2seq batch (Batch.seq2seq) with decoder"
          + " tokens; got a " + batch.objective() + " batch");
    }
    Source source = encodeSource(batch.tokens(), batch.tokenMask());
    List<Tensor> features = decode(source, batch.decoderTokens(), state.capturing());   // Tt × (B, H + C)
    return project(GruEncoder.stack(features.toArray(Tensor[]::new)));                  // (B, Tt, V)
  }

  @Override
  public int[][] generate(Batch batch, Decoding decoding) {
    return Seq2SeqSearch.generate(this, batch, decoding, config.lengthPenalty(), Integer.MAX_VALUE, state);
  }

  /** Decoding recomputes the GRU decoder over each prefix (cheap at these lengths); the encoder runs once. */
  @Override
  public PrefixScorer encode(INDArray sourceIds, INDArray sourceMask) {
    Source source = encodeSource(sourceIds, sourceMask);
    return (prefixes, rows) -> {
      List<Tensor> features = decode(source.select(rows), prefixes, false);
      Tensor last = project(features.get(features.size() - 1));                   // (N, V)
      return last.logSoftmax(-1).value();
    };
  }

  /**
   * What the decoder reads from one source batch.
   *
   * @param annotations (B, S, C)
   * @param keys (B, S, A) attention keys W_h h_j
   * @param initial (B, H) initial decoder state
   * @param maskBias (B, S) 0 at real, {@code Softmax.MASKED} at padded positions; null without padding
   */
  private record Source(Tensor annotations, Tensor keys, Tensor initial, Tensor maskBias) {

    /** The same source rows as constants, one per decoding hypothesis. */
    Source select(int[] rows) {
      return new Source(pick(annotations, rows), pick(keys, rows), pick(initial, rows),
          maskBias == null ? null : pick(maskBias, rows));
    }

    private static Tensor pick(Tensor t, int[] rows) {
      return Tensor.constant(Rows.select(t.value(), rows));
    }
  }

  private Source encodeSource(INDArray ids, INDArray mask) {
    int s = (int) ids.size(1);
    List<Tensor> inputs = new ArrayList<>(s);
    for (int t = 0; t < s; t++) {
      inputs.add(embed(sourceEmbedding, ids, t));                                // (B, E)
    }
    GruEncoder.Result encoded = encoder.encode(inputs, mask);
    Tensor annotations = encoded.states();                                       // (B, S, C)
    Tensor initial = bridge.forward(encoded.summary()).tanh();                   // (B, H)
    Tensor maskBias = mask == null ? null : Tensor.constant(Softmax.maskBias(mask, annotations));
    return new Source(annotations, attention.keys(annotations), initial, maskBias);
  }

  /** Decoder ids (B, T) → T features [s_t; c_t] of shape (B, H + C). */
  private List<Tensor> decode(Source source, INDArray ids, boolean capture) {
    int t = (int) ids.size(1);
    List<Tensor> features = new ArrayList<>(t);
    List<INDArray> weights = capture ? new ArrayList<>(t) : null;
    Tensor s = source.initial();                                                 // (B, H)
    for (int i = 0; i < t; i++) {
      AdditiveAttention.Read read = attention.read(s, source.keys(), source.annotations(), source.maskBias());
      Tensor input = Shapes.concat(1, embed(targetEmbedding, ids, i), read.context());   // (B, E + C)
      s = decoder.step(input, s);                                                // (B, H)
      features.add(Shapes.concat(1, s, read.context()));                         // (B, H + C)
      if (capture) {
        weights.add(read.weights().value());
      }
    }
    if (capture) {
      long b = ids.size(0);
      state.record(path.isEmpty() ? "attention" : path + ".attention",
          Nd4j.stack(1, weights.toArray(INDArray[]::new)).reshape(b, 1, t, -1));   // (B, 1, T, S)
    }
    return features;
  }

  /** (…, H + C) → (…, V). */
  private Tensor project(Tensor features) {
    return output.forward(Dropout.apply(features, config.dropout(), rng, state.training()));
  }

  /** Column t of ids (B, T) embedded → (B, E), with dropout in training. */
  private Tensor embed(Embedding table, INDArray ids, int t) {
    INDArray column = ids.get(NDArrayIndex.all(), NDArrayIndex.point(t)).dup();   // (B)
    return Dropout.apply(table.forward(column), config.dropout(), rng, state.training());
  }
}
