package io.ablate.tensor.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SGD with momentum, Adam (L2) and AdamW (decoupled) against PyTorch float64 trajectories from
 * scripts/make_optimizer_fixtures.py: a decayed matrix and an undecayed bias, five steps.
 */
class OptimizerReferenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"sgd", "adam", "adamw"})
  void followsPyTorchTrajectory(String name) throws IOException {
    JsonNode fixture;
    try (InputStream in = getClass().getResourceAsStream("/reference/optimizers.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    ParameterSet params = new ParameterSet();
    Tensor w = params.add(Tensor.parameter("w", array(fixture.get("w0"))));
    Tensor b = params.add(Tensor.parameter("b", array(fixture.get("b0"))));
    Function<ParameterSet, Optimizer> make = switch (name) {
      case "sgd" -> p -> new Sgd(p, 0.9, 0.01);
      case "adam" -> p -> new Adam(p, 0.9, 0.999, 1e-8, 0.01, false);
      default -> p -> new Adam(p, 0.9, 0.999, 1e-8, 0.1, true);
    };
    double lr = name.equals("sgd") ? 0.1 : 0.01;
    Optimizer optimizer = make.apply(params);

    JsonNode expected = fixture.get("trajectories").get(name);
    for (int step = 0; step < expected.size(); step++) {
      JsonNode g = fixture.get("grads").get(step);
      w.grad().assign(array(g.get("w")));
      b.grad().assign(array(g.get("b")));
      optimizer.step(lr);
      assertClose(array(expected.get(step).get("w")), w.value(), name + " w after step " + (step + 1));
      assertClose(array(expected.get(step).get("b")), b.value(), name + " b after step " + (step + 1));
    }
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    double worst = Nd4j.math().abs(expected.sub(actual)).maxNumber().doubleValue();
    assertTrue(worst < 1e-12, what + ": max |difference| " + worst);
  }

  private static INDArray array(JsonNode node) {
    if (node.get(0).isArray()) {
      double[][] rows = new double[node.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = new double[node.get(i).size()];
        for (int j = 0; j < rows[i].length; j++) {
          rows[i][j] = node.get(i).get(j).asDouble();
        }
      }
      return Nd4j.createFromArray(rows);
    }
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asDouble();
    }
    return Nd4j.createFromArray(v);
  }
}
