package com.example.talkingheads;

import static io.ablate.testkit.ArrayChecks.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.core.model.ModelContext;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.testkit.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Outputs and gradients against float64 PyTorch values written from the paper's equations with
 * einsum (scripts/make_reference.py), with mixing matrices far from the identity: cross-attention
 * with a padded key, and causal self-attention.
 */
class TalkingHeadsReferenceTest {
  private static final double VALUES = 1e-10;
  private static final double GRADIENTS = 1e-9;
  private static final List<String> PARAMETERS = List.of("query.weight", "query.bias", "key.weight", "key.bias",
      "value.weight", "value.bias", "output.weight", "output.bias", "logit_mix", "weight_mix");

  private static JsonNode fixture;
  private final Rng rng = new Rng(0);

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = TalkingHeadsReferenceTest.class.getResourceAsStream("/reference/talking_heads.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  @AfterEach
  void close() {
    rng.close();
  }

  @Test
  void crossAttentionWithAPaddedKeyMatchesPyTorch() {
    ModelContext context = context();
    Attention attention = withReferenceParameters(context);
    Tensor x = Tensor.variable(tensor("cross_x"));
    Tensor memory = Tensor.variable(tensor("cross_memory"));
    Tensor out = attention.forward(x, memory, AttentionMask.padding(tensor("cross_key_valid")));
    assertClose(tensor("cross_out"), out.value(), VALUES, "output");
    out.mul(Tensor.constant(tensor("cross_r"))).sum().backward();
    assertClose(tensor("cross_grad_x"), x.grad(), GRADIENTS, "grad x");
    assertClose(tensor("cross_grad_memory"), memory.grad(), GRADIENTS, "grad memory");
    assertMixingGradients(context, "cross");
  }

  @Test
  void causalSelfAttentionMatchesPyTorch() {
    ModelContext context = context();
    Attention attention = withReferenceParameters(context);
    Tensor x = Tensor.variable(tensor("causal_x"));
    Tensor out = attention.forward(x, x, AttentionMask.CAUSAL);
    assertClose(tensor("causal_out"), out.value(), VALUES, "output");
    out.mul(Tensor.constant(tensor("causal_r"))).sum().backward();
    // x is both the query and the memory: its gradient is the sum of PyTorch's two
    assertClose(tensor("causal_grad_x").add(tensor("causal_grad_memory")), x.grad(), GRADIENTS, "grad x");
    assertMixingGradients(context, "causal");
  }

  private ModelContext context() {
    JsonNode config = fixture.get("config");
    return TestModels.context(new Dims(config.get("D").asInt(), config.get("H").asInt()),
        ModelIO.languageModel(16, 8), DataType.DOUBLE, rng).scope("attention");
  }

  /** Builds the layer, then overwrites every parameter with the reference's. */
  private static Attention withReferenceParameters(ModelContext context) {
    Attention attention = TalkingHeadsAttention.FACTORY.create(
        new TalkingHeadsAttention.Config(TalkingHeadsAttention.Init.IDENTITY, true), context);
    for (String name : PARAMETERS) {
      context.store().parameters().get("attention." + name).value().assign(tensor(name));
    }
    return attention;
  }

  private static void assertMixingGradients(ModelContext context, String name) {
    var params = context.store().parameters();
    assertClose(tensor(name + "_grad_logit_mix"), params.get("attention.logit_mix").grad(), GRADIENTS,
        "grad logit_mix");
    assertClose(tensor(name + "_grad_weight_mix"), params.get("attention.weight_mix").grad(), GRADIENTS,
        "grad weight_mix");
  }

  private static INDArray tensor(String name) {
    JsonNode entry = fixture.get("tensors").get(name);
    if (entry == null) {
      throw new IllegalArgumentException("no tensor '" + name + "' in the fixture");
    }
    long[] shape = new long[entry.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = entry.get("shape").get(i).asLong();
    }
    double[] data = new double[entry.get("data").size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = entry.get("data").get(i).asDouble();
    }
    return Nd4j.create(data, shape, DataType.DOUBLE);
  }
}
