package io.ablate.plugins.text.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.EmbeddingInit;
import io.ablate.testkit.EmbeddingInitContract;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class RandomEmbeddingTest extends EmbeddingInitContract<RandomEmbedding.Config> {
  @Override
  protected ComponentFactory<RandomEmbedding.Config, EmbeddingInit> factory() {
    return RandomEmbedding.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("std", 0.5));
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of();
  }

  @Test
  void standardDeviationIsTheConfiguredOne() {
    INDArray t = table(Map.of("std", 0.5), 200, 50, DataType.DOUBLE, corpus(200), 9);
    assertEquals(0.5, t.stdNumber().doubleValue(), 0.02, "std of 10 000 draws");
    assertEquals(0.0, t.meanNumber().doubleValue(), 0.02, "mean of 10 000 draws");
  }
}
