package io.ablate.plugins.architectures.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.BuiltModel;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Generator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A tiny encoder-decoder learns to reverse four padded sequences and then generates them exactly. */
class EncoderDecoderTrainingTest {
  @Test
  void learnsToReverseAFixedBatchAndGeneratesTheTargets() {
    int[][] sources = Seq2SeqTesting.REVERSAL_SOURCES;
    int[][] targets = Seq2SeqTesting.reversed(sources);
    Batch batch = Seq2SeqTesting.batch(sources, targets);
    ComponentSpec spec = ComponentSpec.of("encoder-decoder").with("d_model", 16).with("layers", 1)
        .with("heads", 2);
    try (BuiltModel built = Seq2SeqTesting.build(spec, 21, DataType.FLOAT)) {
      double loss = Seq2SeqTesting.train(built, batch, 60, 2e-2);
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
