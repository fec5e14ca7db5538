package io.ablate.plugins.architectures.rnn;

import static io.ablate.plugins.architectures.seq2seq.Seq2SeqTesting.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelContext;
import io.ablate.plugins.architectures.seq2seq.Seq2SeqArchitectureTests;
import io.ablate.plugins.architectures.seq2seq.Seq2SeqTesting;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import io.ablate.tensor.ops.Softmax;
import io.ablate.testkit.ParameterGradientCheck;
import io.ablate.testkit.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The GRU + additive attention baseline: the shared seq2seq tests, and its cell, attention and padding. */
class RnnAttentionTest extends Seq2SeqArchitectureTests {
  static final ComponentSpec TINY = ComponentSpec.of("rnn-attention").with("embedding_dim", 6).with("hidden", 5)
      .with("attention_dim", 4);

  @Override
  protected ComponentSpec tiny() {
    return TINY;
  }

  @Override
  protected List<ComponentSpec> gradientVariants() {
    return List.of(TINY, TINY.with("bidirectional", false).with("shared_embeddings", false));
  }

  @Override
  protected ComponentSpec trainable() {
    return ComponentSpec.of("rnn-attention").with("embedding_dim", 16).with("hidden", 16);
  }

  @Override
  protected int trainingSteps() {
    return 60;
  }

  @Override
  protected double learningRate() {
    return 3e-2;
  }

  private static ModelContext context(Rng rng) {
    return TestModels.context(new Dims(8, 1), ModelIO.seq2seq(Seq2SeqTesting.VOCAB, 16), DataType.DOUBLE, rng);
  }

  @Test
  void gruCellGradientsMatchFiniteDifferences() {
    try (Rng rng = new Rng(3)) {
      ModelContext context = context(rng);
      GruCell cell = new GruCell(context.scope("cell").params(), 3, 4);
      INDArray keep = Nd4j.createFromArray(new double[][] {{1}, {0}});
      var inputs = GradCheck.standard().check(v -> cell.step(v[0], v[1], Tensor.constant(keep)),
          GradCheck.randn(1, 2, 3), GradCheck.randn(2, 2, 4));
      assertTrue(inputs.isEmpty(), "inputs: " + inputs);
      Tensor x = Tensor.constant(GradCheck.randn(1, 2, 3));
      Tensor h = Tensor.constant(GradCheck.randn(2, 2, 4));
      var params = ParameterGradientCheck.standard().check(context.store().parameters(), () -> cell.step(x, h));
      assertTrue(params.isEmpty(), "parameters: " + params);
    }
  }

  @Test
  void aPaddedStepCarriesTheStateExactly() {
    try (Rng rng = new Rng(3)) {
      GruCell cell = new GruCell(context(rng).scope("cell").params(), 3, 4);
      Tensor h = Tensor.constant(GradCheck.randn(2, 2, 4));
      Tensor next = cell.step(Tensor.constant(GradCheck.randn(1, 2, 3)), h,
          Tensor.constant(Nd4j.createFromArray(new double[][] {{1}, {0}})));
      assertEquals(h.value().getRow(1), next.value().getRow(1), "padded row keeps its state");
      assertFalse(h.value().getRow(0).equalsWithEps(next.value().getRow(0), 1e-6), "real row advances");
    }
  }

  @Test
  void additiveAttentionGradientsMatchFiniteDifferences() {
    try (Rng rng = new Rng(4)) {
      ModelContext context = context(rng);
      AdditiveAttention attention = new AdditiveAttention(context.scope("attention").params(), 4, 6, 3);
      INDArray keep = Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 1, 0}});
      var mismatches = GradCheck.standard().check(v -> {
        Tensor maskBias = Tensor.constant(Softmax.maskBias(keep, v[1]));
        AdditiveAttention.Read read = attention.read(v[0], attention.keys(v[1]), v[1], maskBias);
        return read.context();
      }, GradCheck.randn(5, 2, 4), GradCheck.randn(6, 2, 3, 6));
      assertTrue(mismatches.isEmpty(), mismatches.toString());
    }
  }

  @Test
  void paddingAnywhereInTheSourceEqualsTheSourceWithoutIt() {
    // Attention has no positions and padded steps carry the state, so [a _ b _ c] reads exactly as [a b c].
    Batch compact = Seq2SeqTesting.batch(new int[][] {{6, 8, 10}, {7, 9, 11}}, new int[][] {{10, 8}, {11, 9}});
    INDArray gappy = Nd4j.createFromArray(new long[][] {{6, 0, 8, 0, 10}, {0, 0, 7, 9, 11}});
    INDArray gappyMask = Nd4j.createFromArray(new long[][] {{1, 0, 1, 0, 1}, {0, 0, 1, 1, 1}});
    Batch padded = Batch.seq2seq(gappy, gappyMask, compact.decoderTokens(), compact.decoderMask(), compact.targets());
    try (BuiltModel built = Seq2SeqTesting.build(TINY, 7, DataType.DOUBLE)) {
      assertClose(logits(built, compact), logits(built, padded), 1e-12, "logits");
    }
  }

  @Test
  void capturedAttentionIsADistributionOverRealSourcePositions() {
    Batch batch = Seq2SeqTesting.smallBatch();                                     // row 1: 3 real of 5
    try (BuiltModel built = Seq2SeqTesting.build(TINY, 2, DataType.DOUBLE)) {
      List<String> layers = new ArrayList<>();
      List<INDArray> weights = new ArrayList<>();
      built.state().capture((layer, w) -> {
        layers.add(layer);
        weights.add(w);
      });
      logits(built, batch);
      built.state().capture(null);
      assertEquals(List.of("attention"), layers);
      INDArray w = weights.get(0);
      assertArrayEquals(new long[] {2, 1, 4, 5}, w.shape());
      assertClose(Nd4j.ones(DataType.DOUBLE, 2, 1, 4), w.sum(3), 1e-12, "weights sum to one");
      INDArray padded = w.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all(),
          NDArrayIndex.interval(3, 5));
      assertEquals(0.0, padded.amaxNumber().doubleValue(), 0.0, "no weight on padding");
    }
  }

  @Test
  void aUnidirectionalEncoderHasOneDirection() {
    try (BuiltModel built = Seq2SeqTesting.build(TINY.with("bidirectional", false), 1, DataType.FLOAT)) {
      var names = built.params().parameters().list().stream().map(Tensor::name).toList();
      assertTrue(names.contains("encoder.forward.weight_ih"), names.toString());
      assertFalse(names.stream().anyMatch(n -> n.startsWith("encoder.backward")), names.toString());
      assertArrayEquals(new long[] {5, 5}, built.params().parameters().get("bridge.linear.weight").shape());
      assertArrayEquals(new long[] {6 + 5, 15}, built.params().parameters().get("decoder.weight_ih").shape());
    }
  }

  @Test
  void trainingModeDropoutChangesLogitsAndEvaluationDoesNot() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(TINY.with("dropout", 0.5), 2, DataType.DOUBLE)) {
      INDArray eval = logits(built, batch);
      assertEquals(eval, logits(built, batch));
      built.state().train();
      try (var ignored = GradMode.noGrad()) {
        assertFalse(eval.equalsWithEps(built.model().logits(batch).value(), 1e-9));
      }
    }
  }
}
