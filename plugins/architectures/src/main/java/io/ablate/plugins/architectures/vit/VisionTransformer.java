package io.ablate.plugins.architectures.vit;

import io.ablate.plugins.architectures.block.ClassifierHead;
import io.ablate.plugins.architectures.block.Placement;
import io.ablate.plugins.architectures.block.Stack;
import io.ablate.plugins.architectures.block.StackSpec;
import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.nn.Linear;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Shapes;
import java.util.Locale;
import java.util.Set;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code vit}: a Vision Transformer (Dosovitskiy et al. 2021). Each of the N flattened patches (B, N, P)
 * is projected to D, an absolute positional encoding is added to the patches, a learned [CLS] vector
 * is prepended, and a bidirectional stack of blocks reads the N + 1 tokens; the class comes from [CLS].
 *
 * <p>Absolute (INPUT-hook) encodings are applied to the N patch positions only: the [CLS] vector is
 * itself learned, so a position vector of its own would add nothing, and tables sized by
 * {@code io().maxLength()} = N fit. Query/key and score encodings see all N + 1 positions.
 */
public class VisionTransformer implements Model {
  /** Options of {@code vit}. */
  public record Config(
      @Doc("model width D") @Default("64") int dModel,
      @Doc("number of blocks") @Default("2") int layers,
      @Doc("attention heads") @Default("4") int heads,
      @Doc("positional encoding component over the patch positions") @Default("sinusoidal") ComponentSpec positional,
      @Doc("attention component") @Default("mha") ComponentSpec attention,
      @Doc("normalisation component") @Default("layernorm") ComponentSpec norm,
      @Doc("normalise before (pre, as in ViT) or after (post) each residual sub-layer") @Default("pre")
      Placement placement,
      @Doc("residual connections around each sub-layer") @Default("true") boolean residual,
      @Doc("feed-forward component") @Default("gelu") ComponentSpec ffn,
      @Doc("dropout on sub-layer outputs, in training only") @Default("0.0") double dropout) implements StackSpec {
    public Config {
      StackSpec.validate(layers, dropout);
    }
  }

  public static final ComponentFactory<Config, Model> FACTORY = Factories.of(Family.ARCHITECTURE, "vit",
      "Vision Transformer: linear patch embedding, [CLS] token, bidirectional encoder, classifier on [CLS]",
      Config.class, VisionTransformer::new);

  private final Linear patchEmbedding;
  private final Tensor cls;
  private final PositionalEncoding positional;
  private final Stack stack;
  private final ClassifierHead classifier;
  private final int patchDim;

  public VisionTransformer(Config config, BuildContext context) {
    var io = context.io();
    if (io.objective() != Objective.IMAGE_CLASSIFICATION) {
      throw new ConfigException("architecture 'vit' cannot be trained for "
          + io.objective().name().toLowerCase(Locale.ROOT) + "; it supports image_classification");
    }
    if (io.patchDim() <= 0) {
      throw new ConfigException("architecture 'vit' needs the patch length from the task; patch_dim is "
          + io.patchDim());
    }
    this.patchDim = io.patchDim();
    BuildContext c = config.prepare(context);
    this.positional = c.positional();
    this.patchEmbedding = new Linear(c.params(), "patch_embedding", patchDim, config.dModel(), true);
    this.cls = c.params().normal("cls", Linear.INIT_STD, 1, 1, config.dModel());
    this.stack = new Stack(c.scope("encoder"), config.layers(), config.blocks(), false);
    this.classifier = new ClassifierHead(c.scope("head"));
  }

  @Override
  public Set<Objective> objectives() {
    return Set.of(Objective.IMAGE_CLASSIFICATION);
  }

  @Override
  public Tensor logits(Batch batch) {
    var patches = batch.patches();
    if (patches == null || patches.rank() != 3 || patches.size(2) != patchDim) {
      throw new IllegalArgumentException("vit expects patches (B, N, " + patchDim + "), got "
          + (patches == null ? "none" : java.util.Arrays.toString(patches.shape())));
    }
    long b = patches.size(0);
    Tensor x = patchEmbedding.forward(Tensor.constant(patches.castTo(cls.dataType())));   // (B, N, D)
    if (positional.hooks().contains(Hook.INPUT)) {
      x = positional.embed(x);                                                  // positions 0..N-1
    }
    Tensor clsRows = Tensor.constant(Nd4j.zeros(cls.dataType(), b, 1, cls.size(2))).add(cls);   // (B, 1, D)
    Tensor h = Shapes.concat(1, clsRows, x);                                    // (B, N + 1, D)
    h = stack.forward(h, null, AttentionMask.NONE, null, null);                  // (B, N + 1, D)
    return classifier.forward(h);                                               // (B, C)
  }
}
