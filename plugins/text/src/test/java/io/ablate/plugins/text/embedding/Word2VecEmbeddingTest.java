package io.ablate.plugins.text.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.spi.model.EmbeddingInit;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.testkit.EmbeddingInitContract;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class Word2VecEmbeddingTest extends EmbeddingInitContract<Word2VecEmbedding.Config> {
  @Override
  protected ComponentFactory<Word2VecEmbedding.Config, EmbeddingInit> factory() {
    return Word2VecEmbedding.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of("epochs", 2), Map.of("method", "cbow", "window", 2, "negatives", 3, "epochs", 2,
        "learning_rate", 0.05, "subsample", 0.0, "std", 0.02));
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.PRETRAINED_ON_CORPUS);
  }

  @Test
  void stdRescalesTheWholeTable() {
    INDArray t = table(Map.of("std", 0.02, "epochs", 2), VOCAB, WIDTH, DataType.DOUBLE, corpus(VOCAB), 3);
    assertEquals(0.02, t.stdNumber().doubleValue(), 1e-6);
    assertEquals(0.0, t.meanNumber().doubleValue(), 1e-6);
  }

  @Test
  void idsOutsideTheVocabularyAreRejected() {
    TokenCorpus bad = new TokenCorpus(List.of(new int[] {6, 7, 30}), 31);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> table(Map.of(), VOCAB, WIDTH, DataType.FLOAT, bad, 1));
    assertTrue(e.getMessage().contains("token id 30 in sequence 0"), e.getMessage());
  }

  @Test
  void badOptionsAreRejected() {
    for (Map<String, Object> options : List.of(Map.<String, Object>of("window", 0), Map.<String, Object>of("negatives", 0),
        Map.<String, Object>of("epochs", 0), Map.<String, Object>of("learning_rate", -1.0),
        Map.<String, Object>of("subsample", -0.1), Map.<String, Object>of("std", 0.0))) {
      ConfigException e = assertThrows(ConfigException.class, () -> config(options), options.toString());
      String key = options.keySet().iterator().next();
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of("method", "glove")));
    assertTrue(e.getMessage().contains("method"), e.getMessage());
  }
}
