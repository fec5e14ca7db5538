package {{package}};

import static io.ablate.testkit.ArrayChecks.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** What makes {@code {{name}}} what it is: a relative bias, zero at distance 0, steeper for earlier heads. */
class {{Class}}Test {
  private static final int HEADS = 4;

  private static INDArray bias(double slope, int tq, int tk) {
    try (Rng rng = new Rng(1)) {
      var context = TestModels.context(new Dims(16, HEADS), ModelIO.languageModel(16, 8), DataType.DOUBLE, rng);
      var encoding = new {{Class}}(new {{Class}}.Config(slope), context);
      return encoding.scoreBias(Tensor.constant(rng.normal(DataType.DOUBLE, 0, 1, 1, HEADS, tq, 4)), tk).value();
    }
  }

  @Test
  void biasDependsOnlyOnTheDistanceBetweenQueryAndKey() {
    INDArray b = bias(1.0, 6, 6);                                               // (1, H, 6, 6)
    for (int i = 0; i + 1 < 6; i++) {
      for (int j = 0; j + 1 < 6; j++) {
        for (int h = 0; h < HEADS; h++) {
          assertEquals(b.getDouble(0, h, i, j), b.getDouble(0, h, i + 1, j + 1), 1e-12,
              "head " + h + ": bias(" + i + ", " + j + ") vs bias(" + (i + 1) + ", " + (j + 1) + ")");
        }
      }
    }
  }

  @Test
  void zeroOnTheDiagonalAndFallingWithDistanceFasterForEarlierHeads() {
    INDArray b = bias(1.0, 6, 6);
    for (int h = 0; h < HEADS; h++) {
      assertEquals(0.0, b.getDouble(0, h, 3, 3), 0.0, "distance 0, head " + h);
      assertTrue(b.getDouble(0, h, 5, 1) < b.getDouble(0, h, 5, 3), "farther keys are penalised more, head " + h);
      assertEquals(-4 * Math.pow(2, -8.0 * (h + 1) / HEADS), b.getDouble(0, h, 5, 1), 1e-12, "slope of head " + h);
    }
  }

  @Test
  void shorterQueriesAlignWithTheLastKeysAndSlopeScales() {
    INDArray full = bias(1.0, 6, 6);
    INDArray last = bias(1.0, 2, 6);                                            // the last 2 queries of 6
    assertClose(full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 6), NDArrayIndex.all()),
        last, 0.0, "queries 4–5 of 6 vs a 2-query call");
    assertClose(full.mul(0.5), bias(0.5, 6, 6), 1e-12, "slope 0.5 halves the bias");
  }
}
