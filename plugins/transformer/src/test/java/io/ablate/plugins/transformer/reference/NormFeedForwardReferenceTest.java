package io.ablate.plugins.transformer.reference;

import static io.ablate.testkit.ArrayChecks.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.core.model.ModelContext;
import io.ablate.plugins.transformer.ffn.SwiGlu;
import io.ablate.plugins.transformer.norm.BatchNorm;
import io.ablate.plugins.transformer.norm.RmsNorm;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.testkit.ArrayChecks;
import io.ablate.testkit.TestModels;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * batchnorm with padding (training pass, gradients, running statistics, evaluation pass), rmsnorm
 * and swiglu against float64 PyTorch values from scripts/make_norm_ffn_fixtures.py.
 */
class NormFeedForwardReferenceTest {
  private static final double VALUES = 1e-10;
  private static final double GRADIENTS = 1e-9;

  private static JsonNode fixture;
  private final Rng rng = new Rng(0);

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = NormFeedForwardReferenceTest.class.getResourceAsStream("/reference/norm_ffn.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  @AfterEach
  void close() {
    rng.close();
  }

  private ModelContext context(String scope) {
    int d = fixture.get("config").get("D").asInt();
    return TestModels.context(new Dims(d, 1), ModelIO.languageModel(16, 8), DataType.DOUBLE, rng).scope(scope);
  }

  @Test
  void batchNormOverRealTokensMatchesPyTorch() {
    JsonNode config = fixture.get("config");
    ModelContext context = context("bn");
    BatchNorm norm = new BatchNorm(new BatchNorm.Config(config.get("bn_momentum").asDouble(),
        config.get("bn_eps").asDouble()), context);
    var params = context.store().parameters();
    params.get("bn.gain").value().assign(tensor("bn_gain"));
    params.get("bn.bias").value().assign(tensor("bn_bias"));
    var buffers = context.store().buffers();
    buffers.get("bn.running_mean").assign(tensor("bn_running_mean_before"));
    buffers.get("bn.running_var").assign(tensor("bn_running_var_before"));

    Tensor x = Tensor.variable(tensor("bn_x"));
    INDArray valid = ArrayChecks.rightPadded(config.get("T").asInt(), config.get("lengths").get(0).asInt(),
        config.get("lengths").get(1).asInt());
    Tensor y = norm.forward(x, valid);
    assertClose(tensor("bn_y"), y.value(), VALUES, "y");
    assertClose(tensor("bn_running_mean"), buffers.get("bn.running_mean"), 1e-12, "running mean");
    assertClose(tensor("bn_running_var"), buffers.get("bn.running_var"), 1e-12, "running variance");

    Tensor loss = y.mul(Tensor.constant(tensor("bn_r"))).sum();
    assertEquals(tensor("bn_loss").getDouble(0), loss.item(), VALUES);
    loss.backward();
    assertClose(tensor("bn_grad_x"), x.grad(), GRADIENTS, "grad x");
    assertClose(tensor("bn_grad_gain"), params.get("bn.gain").grad(), GRADIENTS, "grad gain");
    assertClose(tensor("bn_grad_bias"), params.get("bn.bias").grad(), GRADIENTS, "grad bias");

    context.state().eval();
    assertClose(tensor("bn_eval_y"), norm.forward(Tensor.constant(tensor("bn_x")), valid).value(), VALUES,
        "evaluation y");
  }

  @Test
  void rmsNormMatchesPyTorch() {
    ModelContext context = context("rms");
    RmsNorm norm = new RmsNorm(new RmsNorm.Config(fixture.get("config").get("rms_eps").asDouble(), true), context);
    Tensor gain = context.store().parameters().get("rms.gain");
    gain.value().assign(tensor("rms_gain"));
    Tensor x = Tensor.variable(tensor("rms_x"));
    Tensor y = norm.forward(x, null);
    assertClose(tensor("rms_y"), y.value(), VALUES, "y");
    y.mul(Tensor.constant(tensor("rms_r"))).sum().backward();
    assertClose(tensor("rms_grad_x"), x.grad(), GRADIENTS, "grad x");
    assertClose(tensor("rms_grad_gain"), gain.grad(), GRADIENTS, "grad gain");
  }

  @Test
  void swiGluMatchesPyTorch() {
    ModelContext context = context("ffn");
    SwiGlu ffn = new SwiGlu(new SwiGlu.Config(fixture.get("config").get("hidden").asInt(), 0.0), context);
    var params = context.store().parameters();
    String[][] names = {{"ffn.gate.weight", "w_gate"}, {"ffn.value.weight", "w_value"}, {"ffn.down.weight", "w_down"}};
    for (String[] n : names) {
      params.get(n[0]).value().assign(tensor("swiglu_" + n[1]));
    }
    Tensor x = Tensor.variable(tensor("swiglu_x"));
    Tensor y = ffn.forward(x);
    assertClose(tensor("swiglu_y"), y.value(), VALUES, "y");
    y.mul(Tensor.constant(tensor("swiglu_r"))).sum().backward();
    assertClose(tensor("swiglu_grad_x"), x.grad(), GRADIENTS, "grad x");
    for (String[] n : names) {
      assertClose(tensor("swiglu_grad_" + n[1]), params.get(n[0]).grad(), GRADIENTS, "grad " + n[1]);
    }
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
    return shape.length == 0 ? Nd4j.scalar(data[0]) : Nd4j.create(data, shape, 'c');
  }
}
