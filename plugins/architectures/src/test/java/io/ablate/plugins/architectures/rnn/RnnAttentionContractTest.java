package io.ablate.plugins.architectures.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentFactory;
import io.ablate.testkit.ComponentContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code rnn-attention} meets the contract of every component, and its options validate. */
class RnnAttentionContractTest extends ComponentContract<RnnAttention.Config> {
  @Override
  protected ComponentFactory<RnnAttention.Config, ?> factory() {
    return RnnAttention.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("embedding_dim", 8, "hidden", 12, "attention_dim", 6, "bidirectional", false,
        "shared_embeddings", false, "dropout", 0.1, "length_penalty", 0.0));
  }

  @Test
  void attentionWidthDefaultsToTheStateWidth() {
    assertEquals(12, config(Map.of("hidden", 12)).attentionWidth());
    assertEquals(6, config(Map.of("hidden", 12, "attention_dim", 6)).attentionWidth());
  }

  @Test
  void badOptionsAreRejectedWithTheirName() {
    for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("hidden", 0), Map.of("embedding_dim", -1),
        Map.of("attention_dim", 0), Map.of("dropout", 1.0))) {
      String key = bad.keySet().iterator().next();
      RuntimeException e = assertThrows(RuntimeException.class, () -> config(bad));
      assertTrue(e.getMessage().contains(key), key + ": " + e.getMessage());
    }
  }
}
