package io.ablate.plugins.architectures.decoder;

import static io.ablate.testkit.ArrayChecks.assertClose;
import static io.ablate.testkit.ArrayChecks.assertDiffer;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.plugins.architectures.TestBatches;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A decoder with batchnorm is causal in evaluation (running statistics), and in training its batch
 * statistics let later tokens reach earlier outputs: documented here because a norm ablation on a
 * causal task inherits it.
 */
class BatchNormDecoderTest {
  @Test
  void causalInEvaluationButNotInTraining() {
    ComponentSpec spec = ComponentSpec.of("decoder").with("d_model", 16).with("layers", 1).with("heads", 2)
        .with("norm", "batchnorm");
    try (BuiltModel m = new ModelBuilder(TestModels.registry())
        .build(spec, ModelIO.languageModel(12, 8), 5, TokenCorpus.EMPTY, DataType.DOUBLE)) {
      Batch batch = TestBatches.languageModel(6, 12, 6, 6, 6);
      INDArray changed = batch.tokens().dup();
      changed.get(NDArrayIndex.all(), NDArrayIndex.interval(4, 6)).assign(7);
      Batch altered = Batch.languageModel(changed, batch.targets());
      INDArrayIndex[] early = {NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all()};

      m.model().logits(batch);                                   // move the running statistics off their start
      m.state().eval();
      assertClose(m.model().logits(batch).value().get(early), m.model().logits(altered).value().get(early), 1e-12,
          "evaluation logits at positions < 4 when positions 4–5 change");
      m.state().train();
      assertDiffer(m.model().logits(batch).value().get(early), m.model().logits(altered).value().get(early), 1e-9,
          "training logits at positions < 4 through the batch statistics");
    }
  }
}
