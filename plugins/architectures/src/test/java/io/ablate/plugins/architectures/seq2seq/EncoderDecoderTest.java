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
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Tensor;
import io.ablate.testkit.ParameterGradientCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Transformer encoder-decoder: shapes, gradients, masking, determinism, checkpoints, encoder reuse. */
class EncoderDecoderTest {
  static final ComponentSpec TINY = ComponentSpec.of("encoder-decoder").with("d_model", 8).with("layers", 1)
      .with("heads", 2);

  private static INDArray logits(BuiltModel built, Batch batch) {
    built.state().eval();
    try (var ignored = GradMode.noGrad()) {
      return built.model().logits(batch).value();
    }
  }

  @Test
  void logitsCoverEveryDecoderPosition() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(TINY, 1, DataType.FLOAT)) {
      assertArrayEquals(new long[] {2, 4, Seq2SeqTesting.VOCAB}, logits(built, batch).shape());
    }
  }

  @Test
  void everyParameterGradientMatchesFiniteDifferences() {
    for (ComponentSpec spec : List.of(TINY, TINY.with("shared_embeddings", false).with("tied_embeddings", false)
        .with("placement", "post"))) {
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
  void sharedAndSeparateEmbeddingsCreateTheExpectedTables() {
    try (BuiltModel shared = Seq2SeqTesting.build(TINY, 1, DataType.FLOAT);
        BuiltModel separate = Seq2SeqTesting.build(TINY.with("shared_embeddings", false)
            .with("tied_embeddings", false), 1, DataType.FLOAT)) {
      var sharedNames = names(shared);
      assertTrue(sharedNames.contains("embedding.token"), sharedNames.toString());
      assertFalse(sharedNames.stream().anyMatch(n -> n.contains("output.weight") && n.startsWith("embedding")));
      var separateNames = names(separate);
      assertTrue(separateNames.containsAll(List.of("source_embedding.token", "target_embedding.token",
          "target_embedding.output.weight")), separateNames.toString());
      assertFalse(separateNames.stream().anyMatch(n -> n.startsWith("source_embedding.output")), "source table "
          + "has no output projection: " + separateNames);
      assertTrue(separateNames.stream().anyMatch(n -> n.startsWith("decoder.blocks.0.cross_attention")));
      assertFalse(separateNames.stream().anyMatch(n -> n.startsWith("encoder.blocks.0.cross_attention")));
    }
  }

  @Test
  void encoderAndDecoderDepthsAreSeparate() {
    try (BuiltModel built = Seq2SeqTesting.build(TINY.with("encoder_layers", 2).with("decoder_layers", 3), 1,
        DataType.FLOAT)) {
      var names = names(built);
      assertTrue(names.stream().anyMatch(n -> n.startsWith("encoder.blocks.1.")));
      assertFalse(names.stream().anyMatch(n -> n.startsWith("encoder.blocks.2.")));
      assertTrue(names.stream().anyMatch(n -> n.startsWith("decoder.blocks.2.")));
    }
  }

  @Test
  void sameSeedSameLogitsOtherSeedOtherLogits() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel a = Seq2SeqTesting.build(TINY, 5, DataType.FLOAT);
        BuiltModel b = Seq2SeqTesting.build(TINY, 5, DataType.FLOAT);
        BuiltModel c = Seq2SeqTesting.build(TINY, 6, DataType.FLOAT)) {
      assertEquals(logits(a, batch), logits(b, batch));
      assertFalse(logits(a, batch).equalsWithEps(logits(c, batch), 1e-6));
    }
  }

  @Test
  void laterDecoderTokensDoNotChangeEarlierLogits() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(TINY, 2, DataType.DOUBLE)) {
      INDArray before = logits(built, batch);
      for (int t = 1; t < 4; t++) {
        INDArray changed = batch.decoderTokens().dup();
        for (int j = t; j < 4; j++) {
          changed.putScalar(new long[] {0, j}, 6 + (j % 5));
          changed.putScalar(new long[] {1, j}, 11 - (j % 5));
        }
        INDArray after = logits(built, new Batch(batch.objective(), batch.tokens(), batch.tokenMask(),
            batch.targets(), changed, batch.decoderMask(), null));
        assertClose(positions(before, 0, t), positions(after, 0, t), 0, "logits before position " + t);
        assertFalse(positions(before, t, 4).equalsWithEps(positions(after, t, 4), 1e-9), "position " + t + " reacts");
      }
    }
  }

  @Test
  void paddedSourceTokensAreInvisibleButRealOnesMatter() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(TINY, 2, DataType.DOUBLE)) {
      INDArray before = logits(built, batch);
      INDArray padded = with(with(batch.tokens(), 1, 3, 9), 1, 4, 6);          // row 1 has 3 real tokens
      INDArray after = logits(built, new Batch(batch.objective(), padded, batch.tokenMask(), batch.targets(),
          batch.decoderTokens(), batch.decoderMask(), null));
      assertClose(before, after, 1e-12, "logits with other padding tokens");
      INDArray real = with(batch.tokens(), 1, 0, 6);
      INDArray changed = logits(built, new Batch(batch.objective(), real, batch.tokenMask(), batch.targets(),
          batch.decoderTokens(), batch.decoderMask(), null));
      assertFalse(positions(before, 0, 4).get(org.nd4j.linalg.indexing.NDArrayIndex.point(1))
          .equalsWithEps(positions(changed, 0, 4).get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)), 1e-9),
          "the decoder reads the source through cross-attention");
      assertClose(positions(before, 0, 4).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)),
          positions(changed, 0, 4).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)), 0, "other rows unaffected");
    }
  }

  @Test
  void checkpointRestoresIdenticalLogits(@TempDir Path dir) throws Exception {
    Batch batch = Seq2SeqTesting.smallBatch();
    ComponentSpec spec = TINY.with("shared_embeddings", false);
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
    try (BuiltModel built = Seq2SeqTesting.build(TINY, 4, DataType.DOUBLE)) {
      INDArray logits = logits(built, batch);                                          // (2, 4, V)
      Seq2SeqModel model = (Seq2SeqModel) built.model();
      try (var ignored = GradMode.noGrad()) {
        PrefixScorer scorer = model.encode(batch.tokens(), batch.tokenMask());
        int[] sources = {1, 0, 1};                                                     // reordered and repeated
        for (int t = 1; t <= 3; t++) {
          INDArray prefixes = Nd4j.concat(0, prefix(batch, 1, t), prefix(batch, 0, t), prefix(batch, 1, t));
          INDArray scores = scorer.nextLogProbs(prefixes, sources);                 // (3, V)
          for (int i = 0; i < 3; i++) {
            INDArray expected = Tensor.constant(logits.get(org.nd4j.linalg.indexing.NDArrayIndex.point(sources[i]),
                org.nd4j.linalg.indexing.NDArrayIndex.point(t - 1)).dup().reshape(1, -1)).logSoftmax(-1).value();
            assertClose(expected.reshape(-1), scores.getRow(i).dup().reshape(-1), 1e-12, "row " + i + " at " + t);
          }
        }
      }
    }
  }

  private static INDArray prefix(Batch batch, int row, int length) {
    return batch.decoderTokens().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(row, row + 1),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, length)).dup();
  }

  @Test
  void generationRunsTheEncoderOncePerCallAndRestoresTrainingMode() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(TINY.with("length_penalty", 0), 4, DataType.FLOAT)) {
      List<String> layers = new ArrayList<>();
      built.state().train();
      built.state().capture((layer, weights) -> layers.add(layer));
      int[][] out = ((Generator) built.model()).generate(batch, Decoding.beam(5, 3));
      built.state().capture(null);
      assertTrue(built.state().training(), "training mode is restored");
      long encoderCalls = layers.stream().filter(l -> l.startsWith("encoder.")).count();
      long decoderCalls = layers.stream().filter(l -> l.startsWith("decoder.blocks.0.self_attention")).count();
      assertEquals(1, encoderCalls, "encoder self-attention ran once: " + layers);
      assertTrue(decoderCalls >= 2, "the decoder ran once per step: " + decoderCalls);
      assertEquals(2, out.length);
      for (int[] row : out) {
        assertTrue(row.length >= 1 && row.length <= 5, "at most max_new_tokens ids: " + row.length);
      }
    }
  }

  @Test
  void beamOfOneIsGreedyOnAnUntrainedModel() {
    Batch batch = Seq2SeqTesting.batch(new int[][] {{6, 7, 8}, {9, 10}, {11, 6, 7, 8}}, new int[][] {{6}, {6}, {6}});
    try (BuiltModel built = Seq2SeqTesting.build(TINY.with("length_penalty", 0), 8, DataType.FLOAT)) {
      Generator generator = (Generator) built.model();
      assertArrayEquals(generator.generate(batch, Decoding.greedy(6)), generator.generate(batch, Decoding.beam(6, 1)));
      int[][] once = generator.generate(batch, Decoding.sample(6, 1.0, 3, 17));
      assertArrayEquals(once, generator.generate(batch, Decoding.sample(6, 1.0, 3, 17)), "same seed, same sample");
      assertArrayEquals(generator.generate(batch, Decoding.greedy(6)),
          generator.generate(batch, Decoding.sample(6, 1.0, 1, 99)), "top-1 sampling is greedy");
    }
  }

  @Test
  void aBatchWithoutDecoderTokensIsRejected() {
    try (BuiltModel built = Seq2SeqTesting.build(TINY, 1, DataType.FLOAT)) {
      INDArray ids = Nd4j.createFromArray(new long[][] {{6, 7}});
      var e = assertThrows(IllegalArgumentException.class,
          () -> built.model().logits(Batch.languageModel(ids, ids)));
      assertTrue(e.getMessage().contains("Batch.seq2seq"), e.getMessage());
    }
  }

  private static List<String> names(BuiltModel built) {
    return built.params().parameters().list().stream().map(Tensor::name).toList();
  }
}
