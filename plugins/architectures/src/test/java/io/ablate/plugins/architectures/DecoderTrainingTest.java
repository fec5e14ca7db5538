package io.ablate.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import io.ablate.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DecoderTrainingTest {
  @Test
  void decoderBuiltByNameLearnsAFixedBatch() {
    ComponentSpec spec = ComponentSpec.of("decoder").with("d_model", 32).with("layers", 1).with("heads", 2);
    try (BuiltModel built = new ModelBuilder(TestModels.registry()).build(spec, ModelIO.languageModel(12, 16), 7)) {
      INDArray ids = Nd4j.createFromArray(new long[][] {{6, 7, 8, 9, 10, 11, 6, 7}, {11, 10, 9, 8, 7, 6, 11, 10}});
      INDArray inputs = ids.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 7)).dup();
      INDArray targets = ids.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 8)).dup();
      Batch batch = Batch.languageModel(inputs, targets);
      Adam adam = Adam.adamW(built.params().parameters(), 0.0);
      double first = Double.NaN;
      double last = Double.NaN;
      for (int step = 0; step < 30; step++) {
        built.params().parameters().zeroGrad();
        Tensor loss = built.model().loss(batch);
        if (step == 0) {
          first = loss.item();
        }
        last = loss.item();
        loss.backward();
        adam.step(1e-2);
      }
      assertTrue(last < first * 0.5, "loss " + first + " → " + last);
    }
  }
}
