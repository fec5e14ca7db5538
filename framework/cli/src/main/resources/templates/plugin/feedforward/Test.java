package {{package}};

import static io.ablate.testkit.ArrayChecks.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import io.ablate.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What makes {@code {{name}}} what it is: homogeneous of degree 2 without biases; silent units pass nothing. */
class {{Class}}Test {
  private static ModelContext context(Rng rng) {
    return TestModels.context(new Dims(8, 2), ModelIO.languageModel(16, 4), DataType.DOUBLE, rng).scope("ffn");
  }

  @Test
  void withoutBiasesScalingTheInputByCScalesTheOutputByCSquared() {
    try (Rng rng = new Rng(1)) {
      {{Class}} ffn = new {{Class}}(new {{Class}}.Config(16, false), context(rng));
      INDArray x = GradCheck.randn(2, 2, 4, 8);
      INDArray y = ffn.forward(Tensor.constant(x)).value();
      assertTrue(y.norm2Number().doubleValue() > 0, "some hidden unit is active");
      assertClose(y.mul(9.0), ffn.forward(Tensor.constant(x.mul(3.0))).value(), 1e-12, "f(3x) vs 9·f(x)");
    }
  }

  @Test
  void whenEveryHiddenUnitIsNegativeOnlyTheOutputBiasRemains() {
    try (Rng rng = new Rng(3)) {
      ModelContext context = context(rng);
      {{Class}} ffn = new {{Class}}(new {{Class}}.Config(16, true), context);
      var params = context.store().parameters();
      params.get("ffn.up.bias").value().assign(-1e3);                          // relu(·) = 0 everywhere
      params.get("ffn.down.bias").value().assign(Nd4j.linspace(DataType.DOUBLE, 1, 8, 8));
      INDArray y = ffn.forward(Tensor.constant(GradCheck.randn(4, 2, 4, 8))).value();   // (2, 4, 8)
      INDArray expected = Nd4j.linspace(DataType.DOUBLE, 1, 8, 8).reshape(1, 1, 8).broadcast(2, 4, 8);
      assertClose(expected, y, 0.0, "output with every hidden unit silent");
    }
  }
}
