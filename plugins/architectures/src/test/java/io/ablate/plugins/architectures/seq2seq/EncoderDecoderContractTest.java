package io.ablate.plugins.architectures.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ConfigException;
import io.ablate.testkit.ComponentContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code encoder-decoder} meets the contract of every component, and its options validate. */
class EncoderDecoderContractTest extends ComponentContract<EncoderDecoder.Config> {
  @Override
  protected ComponentFactory<EncoderDecoder.Config, ?> factory() {
    return EncoderDecoder.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(),
        Map.of("d_model", 16, "encoder_layers", 3, "decoder_layers", 1, "shared_embeddings", false,
            "tied_embeddings", false, "placement", "post", "attention", Map.of("type", "mha", "scale", "none"),
            "length_penalty", 0.6));
  }

  @Test
  void defaultsMatchTheDecoderAndShareEmbeddings() {
    EncoderDecoder.Config config = config(Map.of());
    assertEquals(2, config.encoderBlocks());
    assertEquals(2, config.decoderBlocks());
    assertTrue(config.sharedEmbeddings());
    assertTrue(config.tiedEmbeddings());
    assertEquals(3, config(Map.of("layers", 3, "decoder_layers", 1)).encoderBlocks());
    assertEquals(1, config(Map.of("layers", 3, "decoder_layers", 1)).decoderBlocks());
  }

  @Test
  void badOptionsAreRejectedWithTheirName() {
    for (Map<String, Object> bad : List.of(Map.<String, Object>of("layers", 0), Map.<String, Object>of("decoder_layers", 0),
        Map.<String, Object>of("encoder_layers", -1), Map.<String, Object>of("dropout", 1.0))) {
      String key = bad.keySet().iterator().next();
      RuntimeException e = assertThrows(RuntimeException.class, () -> config(bad));
      assertTrue(e instanceof ConfigException || e instanceof IllegalArgumentException, e.toString());
      assertTrue(e.getMessage().contains(key), key + ": " + e.getMessage());
    }
  }
}
