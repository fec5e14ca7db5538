package io.ablate.plugins.architectures.seq2seq;

import static io.ablate.plugins.architectures.seq2seq.Seq2SeqTesting.assertClose;
import static io.ablate.plugins.architectures.seq2seq.Seq2SeqTesting.positions;
import static io.ablate.plugins.architectures.seq2seq.Seq2SeqTesting.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.Checkpoint;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Generator;
import io.ablate.spi.model.Objective;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Tensor;
import io.ablate.testkit.ParameterGradientCheck;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What every sequence-to-sequence architecture must do, whatever is inside it: logits for every decoder
 * position, exact gradients, determinism, no look-ahead, invisible source padding, exact checkpoints, a
 * scorer consistent with teacher forcing, search that agrees with itself, and a tiny task it learns and
 * then generates exactly. Subclasses name the architecture (a shape an architecture contract can take over).
 */
public abstract class Seq2SeqArchitectureTests {
  /** The smallest useful model (1 layer, D ≤ 16). */
  protected abstract ComponentSpec tiny();

  /** Option variants whose every parameter gradient is checked (DOUBLE). */
  protected abstract List<ComponentSpec> gradientVariants();

  /** A model big enough to learn the reversal task in {@link #trainingSteps()} Adam steps. */
  protected abstract ComponentSpec trainable();

  protected abstract int trainingSteps();

  protected abstract double learningRate();

  protected static INDArray logits(BuiltModel built, Batch batch) {
    built.state().eval();
    try (var ignored = GradMode.noGrad()) {
      return built.model().logits(batch).value();
    }
  }

  protected static Batch withTokens(Batch batch, INDArray source, INDArray decoderTokens) {
    return new Batch(batch.objective(), source, batch.tokenMask(), batch.targets(), decoderTokens,
        batch.decoderMask(), null);
  }

  @Test
  void supportsOnlySeq2seqAndCoversEveryDecoderPosition() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(tiny(), 1, DataType.FLOAT)) {
      assertEquals(java.util.Set.of(Objective.SEQ2SEQ), built.model().objectives());
      assertArrayEquals(new long[] {2, 4, Seq2SeqTesting.VOCAB}, logits(built, batch).shape());
      assertTrue(Double.isFinite(built.model().loss(batch).item()));
    }
  }

  @Test
  void everyParameterGradientMatchesFiniteDifferences() {
    for (ComponentSpec spec : gradientVariants()) {
      try (BuiltModel built = Seq2SeqTesting.build(spec, 3, DataType.DOUBLE)) {
        built.state().eval();
        Batch batch = Seq2SeqTesting.smallBatch();
        var mismatches = new ParameterGradientCheck(1e-6, 1e-5, 1e-8, 4).check(built.params().parameters(),
            () -> built.model().logits(batch));
        assertTrue(mismatches.isEmpty(), spec + ": " + mismatches);
      }
    }
  }

  @Test
  void sameSeedSameLogitsOtherSeedOtherLogits() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel a = Seq2SeqTesting.build(tiny(), 5, DataType.FLOAT);
        BuiltModel b = Seq2SeqTesting.build(tiny(), 5, DataType.FLOAT);
        BuiltModel c = Seq2SeqTesting.build(tiny(), 6, DataType.FLOAT)) {
      assertEquals(logits(a, batch), logits(b, batch));
      assertFalse(logits(a, batch).equalsWithEps(logits(c, batch), 1e-6));
    }
  }

  @Test
  void laterDecoderTokensDoNotChangeEarlierLogits() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(tiny(), 2, DataType.DOUBLE)) {
      INDArray before = logits(built, batch);
      for (int t = 1; t < 4; t++) {
        INDArray changed = batch.decoderTokens().dup();
        for (int j = t; j < 4; j++) {
          changed.putScalar(new long[] {0, j}, 6 + (j % 5));
          changed.putScalar(new long[] {1, j}, 11 - (j % 5));
        }
        INDArray after = logits(built, withTokens(batch, batch.tokens(), changed));
        assertClose(positions(before, 0, t), positions(after, 0, t), 0, "logits before position " + t);
        assertFalse(positions(before, t, 4).equalsWithEps(positions(after, t, 4), 1e-9), "position " + t + " reacts");
      }
    }
  }

  @Test
  void paddedSourceTokensAreInvisibleButRealOnesMatter() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(tiny(), 2, DataType.DOUBLE)) {
      INDArray before = logits(built, batch);
      INDArray padded = with(with(batch.tokens(), 1, 3, 9), 1, 4, 6);          // row 1 has 3 real tokens
      assertClose(before, logits(built, withTokens(batch, padded, batch.decoderTokens())), 1e-12,
          "logits with other padding tokens");
      INDArray changed = logits(built, withTokens(batch, with(batch.tokens(), 1, 0, 6), batch.decoderTokens()));
      assertFalse(before.get(NDArrayIndex.point(1)).equalsWithEps(changed.get(NDArrayIndex.point(1)), 1e-9),
          "the decoder reads the source");
      assertClose(before.get(NDArrayIndex.point(0)), changed.get(NDArrayIndex.point(0)), 0, "other rows unaffected");
    }
  }

  @Test
  void checkpointRestoresIdenticalLogits(@TempDir Path dir) throws Exception {
    Batch batch = Seq2SeqTesting.smallBatch();
    ComponentSpec spec = tiny().with("shared_embeddings", false);
    Path file = dir.resolve("model.ckpt");
    try (BuiltModel trained = Seq2SeqTesting.build(spec, 11, DataType.FLOAT);
        BuiltModel fresh = Seq2SeqTesting.build(spec, 12, DataType.FLOAT)) {
      Seq2SeqTesting.train(trained, batch, 3, 1e-2);
      INDArray expected = logits(trained, batch);
      assertFalse(expected.equalsWithEps(logits(fresh, batch), 1e-6));
      Checkpoint.save(trained.params(), file);
      Checkpoint.load(fresh.params(), file);
      assertEquals(expected, logits(fresh, batch));
    }
  }

  @Test
  void prefixScoresMatchTeacherForcedLogits() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(tiny(), 4, DataType.DOUBLE)) {
      INDArray logits = logits(built, batch);                                          // (2, 4, V)
      try (var ignored = GradMode.noGrad()) {
        PrefixScorer scorer = ((Seq2SeqModel) built.model()).encode(batch.tokens(), batch.tokenMask());
        int[] sources = {1, 0, 1};                                                     // reordered and repeated
        for (int t = 1; t <= 3; t++) {
          INDArray prefixes = Nd4j.concat(0, prefix(batch, 1, t), prefix(batch, 0, t), prefix(batch, 1, t));
          INDArray scores = scorer.nextLogProbs(prefixes, sources);                 // (3, V)
          for (int i = 0; i < 3; i++) {
            INDArray row = logits.get(NDArrayIndex.point(sources[i]), NDArrayIndex.point(t - 1)).dup().reshape(1, -1);
            INDArray expected = Tensor.constant(row).logSoftmax(-1).value().reshape(-1);
            assertClose(expected, scores.getRow(i).dup().reshape(-1), 1e-12, "row " + i + " at " + t);
          }
        }
        INDArray single = scorer.nextLogProbs(prefix(batch, 1, 2), new int[] {1});   // one hypothesis
        assertArrayEquals(new long[] {1, Seq2SeqTesting.VOCAB}, single.shape());
      }
    }
  }

  private static INDArray prefix(Batch batch, int row, int length) {
    return batch.decoderTokens().get(NDArrayIndex.interval(row, row + 1), NDArrayIndex.interval(0, length)).dup();
  }

  @Test
  void beamOfOneIsGreedyAndSamplingIsSeeded() {
    Batch batch = Seq2SeqTesting.batch(new int[][] {{6, 7, 8}, {9, 10}, {11, 6, 7, 8}}, new int[][] {{6}, {6}, {6}});
    try (BuiltModel built = Seq2SeqTesting.build(tiny().with("length_penalty", 0), 8, DataType.FLOAT)) {
      Generator generator = (Generator) built.model();
      int[][] greedy = generator.generate(batch, Decoding.greedy(6));
      assertArrayEquals(greedy, generator.generate(batch, Decoding.beam(6, 1)));
      int[][] once = generator.generate(batch, Decoding.sample(6, 1.0, 3, 17));
      assertArrayEquals(once, generator.generate(batch, Decoding.sample(6, 1.0, 3, 17)), "same seed, same sample");
      assertArrayEquals(greedy, generator.generate(batch, Decoding.sample(6, 1.0, 1, 99)), "top-1 sampling is greedy");
      built.state().train();
      generator.generate(batch, Decoding.beam(6, 3));
      assertTrue(built.state().training(), "generation restores training mode");
    }
  }

  @Test
  void aBatchWithoutDecoderTokensIsRejected() {
    try (BuiltModel built = Seq2SeqTesting.build(tiny(), 1, DataType.FLOAT)) {
      INDArray ids = Nd4j.createFromArray(new long[][] {{6, 7}});
      var e = assertThrows(IllegalArgumentException.class, () -> built.model().logits(Batch.languageModel(ids, ids)));
      assertTrue(e.getMessage().contains("Batch.seq2seq"), e.getMessage());
    }
  }

  @Test
  void learnsToReverseAFixedBatchAndGeneratesTheTargets() {
    int[][] sources = Seq2SeqTesting.REVERSAL_SOURCES;
    int[][] targets = Seq2SeqTesting.reversed(sources);
    Batch batch = Seq2SeqTesting.batch(sources, targets);
    try (BuiltModel built = Seq2SeqTesting.build(trainable(), 21, DataType.FLOAT)) {
      double loss = Seq2SeqTesting.train(built, batch, trainingSteps(), learningRate());
      assertTrue(loss < 0.05, "loss after training " + loss);
      Generator generator = (Generator) built.model();
      int[][] expected = new int[sources.length][];
      for (int i = 0; i < sources.length; i++) {
        expected[i] = Seq2SeqTesting.withEos(targets[i]);
      }
      assertArrayEquals(expected, generator.generate(batch, Decoding.greedy(8)), "greedy");
      assertArrayEquals(expected, generator.generate(batch, Decoding.beam(8, 3)), "beam");
    }
  }
}
