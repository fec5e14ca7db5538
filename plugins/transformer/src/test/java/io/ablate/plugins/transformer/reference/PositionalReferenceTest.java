package io.ablate.plugins.transformer.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.plugins.transformer.positional.Alibi;
import io.ablate.plugins.transformer.positional.Rotary;
import io.ablate.plugins.transformer.positional.T5Bias;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.PositionalEncoding.QueryKey;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.testkit.TestModels;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Rotary, ALiBi slopes and T5 buckets against PyTorch (scripts/make_positional_fixtures.py). */
class PositionalReferenceTest {
  private static JsonNode fixture;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = PositionalReferenceTest.class.getResourceAsStream("/reference/positional.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  private static INDArray array(JsonNode node) {
    return Nd4j.create(new ObjectMapper().convertValue(node, double[][][][].class));
  }

  @Test
  void rotaryMatchesTheHalfSplitReference() {
    JsonNode rotary = fixture.get("rotary");
    INDArray q = array(rotary.get("q"));
    INDArray k = array(rotary.get("k"));
    for (JsonNode c : rotary.get("cases")) {
      try (Rng rng = new Rng(1)) {
        var context = TestModels.context(new Dims(16, 2), ModelIO.languageModel(10, 8), DataType.DOUBLE, rng);
        Rotary encoding = new Rotary(new Rotary.Config(rotary.get("base").asDouble(), c.get("fraction").asDouble()),
            context);
        QueryKey out = encoding.rotate(Tensor.constant(q), Tensor.constant(k));
        assertArrayEquals(array(c.get("q")).data().asDouble(), out.query().value().data().asDouble(), 1e-12,
            "q, fraction " + c.get("fraction"));
        assertArrayEquals(array(c.get("k")).data().asDouble(), out.key().value().data().asDouble(), 1e-12,
            "k, fraction " + c.get("fraction"));
      }
    }
  }

  @Test
  void alibiSlopesMatchThePaperForEveryHeadCount() {
    for (int heads = 1; heads <= 16; heads++) {
      double[] expected = new ObjectMapper().convertValue(fixture.get("alibi").get(String.valueOf(heads)),
          double[].class);
      assertArrayEquals(expected, Alibi.slopes(heads), 1e-15, heads + " heads");
    }
  }

  @Test
  void t5BucketsMatchTheReferenceImplementation() {
    JsonNode t5 = fixture.get("t5");
    for (int i = 0; i < t5.get("relative").size(); i++) {
      int relative = t5.get("relative").get(i).asInt();
      assertEquals(t5.get("bidirectional").get(i).asInt(), T5Bias.bucket(relative, true, 32, 128),
          "bidirectional, relative " + relative);
      assertEquals(t5.get("causal").get(i).asInt(), T5Bias.bucket(relative, false, 32, 128),
          "causal, relative " + relative);
    }
  }
}
