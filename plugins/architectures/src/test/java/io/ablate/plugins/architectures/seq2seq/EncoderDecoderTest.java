package io.ablate.plugins.architectures.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.BuiltModel;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Generator;
import io.ablate.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The Transformer encoder-decoder: the shared seq2seq tests, its embedding and depth options, encoder reuse. */
class EncoderDecoderTest extends Seq2SeqArchitectureTests {
  static final ComponentSpec TINY = ComponentSpec.of("encoder-decoder").with("d_model", 8).with("layers", 1)
      .with("heads", 2);

  @Override
  protected ComponentSpec tiny() {
    return TINY;
  }

  @Override
  protected List<ComponentSpec> gradientVariants() {
    return List.of(TINY, TINY.with("shared_embeddings", false).with("tied_embeddings", false)
        .with("placement", "post"));
  }

  @Override
  protected ComponentSpec trainable() {
    return ComponentSpec.of("encoder-decoder").with("d_model", 16).with("layers", 1).with("heads", 2);
  }

  @Override
  protected int trainingSteps() {
    return 60;
  }

  @Override
  protected double learningRate() {
    return 2e-2;
  }

  @Test
  void sharedAndSeparateEmbeddingsCreateTheExpectedTables() {
    try (BuiltModel shared = Seq2SeqTesting.build(TINY, 1, DataType.FLOAT);
        BuiltModel separate = Seq2SeqTesting.build(TINY.with("shared_embeddings", false)
            .with("tied_embeddings", false), 1, DataType.FLOAT)) {
      var sharedNames = names(shared);
      assertTrue(sharedNames.contains("embedding.token"), sharedNames.toString());
      assertFalse(sharedNames.stream().anyMatch(n -> n.startsWith("embedding.output")), "tied: " + sharedNames);
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
  void generationRunsTheEncoderOncePerCall() {
    Batch batch = Seq2SeqTesting.smallBatch();
    try (BuiltModel built = Seq2SeqTesting.build(TINY.with("length_penalty", 0), 4, DataType.FLOAT)) {
      List<String> layers = new ArrayList<>();
      built.state().capture((layer, weights) -> layers.add(layer));
      int[][] out = ((Generator) built.model()).generate(batch, Decoding.beam(5, 3));
      built.state().capture(null);
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

  private static List<String> names(BuiltModel built) {
    return built.params().parameters().list().stream().map(Tensor::name).toList();
  }
}
