package {{package}};

import static io.ablate.testkit.ArrayChecks.assertClose;

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

/** What makes {@code {{name}}} what it is: every position gets length g, whatever the input's scale. */
class {{Class}}Test {
  private static final int D = 8;

  private static {{Class}} build(Rng rng) {
    var context = TestModels.context(new Dims(D, 2), ModelIO.languageModel(16, 4), DataType.DOUBLE, rng);
    return new {{Class}}(new {{Class}}.Config(1e-12), context.scope("norm"));
  }

  @Test
  void eachPositionHasLengthGain() {
    try (Rng rng = new Rng(1)) {
      INDArray y = build(rng).forward(Tensor.constant(GradCheck.randn(2, 2, 4, D).muli(3)), null).value();
      INDArray lengths = Nd4j.math().sqrt(y.mul(y).sum(2));                   // (B, T)
      assertClose(Nd4j.valueArrayOf(new long[] {2, 4}, Math.sqrt(D)), lengths, 1e-9, "‖y‖ per position, g = √D");
    }
  }

  @Test
  void scalingTheInputChangesNothing() {
    try (Rng rng = new Rng(3)) {
      {{Class}} norm = build(rng);
      INDArray x = GradCheck.randn(4, 2, 4, D);
      assertClose(norm.forward(Tensor.constant(x), null).value(),
          norm.forward(Tensor.constant(x.mul(25.0)), null).value(), 1e-9, "y(25·x) vs y(x)");
    }
  }
}
