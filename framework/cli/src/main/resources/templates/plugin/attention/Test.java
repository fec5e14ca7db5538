package {{package}};

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import io.ablate.testkit.ArrayChecks;
import io.ablate.testkit.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** What makes {@code {{name}}} what it is: the temperature option. Replace with your variant's own checks. */
class {{Class}}Test {
  /** Mean entropy of the attention rows of a (2, 6, 8) input, 2 heads, the same weights for every τ. */
  private static double entropy(double temperature) {
    try (Rng rng = new Rng(1)) {
      ModelContext context = TestModels.context(new Dims(8, 2), ModelIO.languageModel(16, 6), DataType.DOUBLE, rng)
          .scope("attention");
      Attention attention = new {{Class}}(new {{Class}}.Config(temperature, true), context);
      ArrayChecks.perturb(context.store().parameters().list(), 2, 0.5);
      List<INDArray> weights = new ArrayList<>();
      context.state().capture((layer, w) -> weights.add(w));
      Tensor x = Tensor.constant(GradCheck.randn(3, 2, 6, 8));
      attention.forward(x, x, AttentionMask.NONE);
      INDArray w = weights.get(0);                                            // (B, H, T, T)
      return -w.mul(Transforms.log(w.add(1e-30))).sum(3).meanNumber().doubleValue();
    }
  }

  @Test
  void higherTemperatureFlattensTheWeights() {
    double cool = entropy(0.25);
    double plain = entropy(1.0);
    double warm = entropy(4.0);
    assertTrue(cool < plain && plain < warm, "mean row entropy for τ = 0.25, 1, 4: " + cool + ", " + plain + ", " + warm);
    assertTrue(warm <= Math.log(6) + 1e-12, "entropy above uniform: " + warm);
  }
}
