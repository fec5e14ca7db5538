package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The row reductions against a plain loop in double precision, for every length from 0 to past two
 * unrolled blocks and at offsets that are not a multiple of the unrolling.
 */
class RowMathTest {
  private final float[] x = new float[200];
  private final float[] y = new float[200];

  RowMathTest() {
    Random random = new Random(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextGaussian() * 10);
      y[i] = (float) random.nextGaussian();
    }
  }

  @Test
  void bothMaximaAreTheLargestElementOfEveryRow() {
    for (int o : new int[] {0, 1, 3, 5}) {
      for (int n = 0; n <= 133; n++) {
        float expected = Float.NEGATIVE_INFINITY;
        for (int i = o; i < o + n; i++) {
          expected = Math.max(expected, x[i]);
        }
        assertEquals(expected, RowMath.max(x, o, n), "max at " + o + ", length " + n);
        assertEquals(expected, RowMath.maxBranchFree(x, o, n), "branch-free max at " + o + ", length " + n);
      }
    }
  }

  @Test
  void theBranchFreeMaximumPassesANaNOn() {
    float[] row = {1, 2, Float.NaN, 3, 4, 5};
    assertTrue(Float.isNaN(RowMath.maxBranchFree(row, 0, row.length)));
  }

  @Test
  void sumsAndDotProductsMatchAPlainLoop() {
    for (int o : new int[] {0, 1, 7}) {
      for (int n = 0; n <= 133; n++) {
        double sum = 0;
        double dot = 0;
        for (int i = o; i < o + n; i++) {
          sum += x[i];
          dot += (double) x[i] * y[i];
        }
        assertEquals(sum, RowMath.sum(x, o, n), 1e-4 * Math.max(1, n), "sum at " + o + ", length " + n);
        assertEquals(dot, RowMath.dot(x, y, o, n), 1e-4 * Math.max(1, n), "dot at " + o + ", length " + n);
      }
    }
  }
}
