package io.ablate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Assertions on arrays and small helpers shared by the family contracts. */
public final class ArrayChecks {
  private ArrayChecks() {}

  /** max |a − b| over all elements; the shapes must be equal. */
  public static double maxAbsDifference(INDArray a, INDArray b) {
    assertArrayEquals(a.shape(), b.shape(), "shapes differ");
    return Nd4j.math().abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
  }

  /** Fails unless every element of {@code actual} is within {@code tolerance} of {@code expected}. */
  public static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    double worst = maxAbsDifference(expected, actual);
    assertTrue(worst <= tolerance, what + ": max |difference| " + worst + " > " + tolerance);
  }

  /** Fails unless some element differs by more than {@code atLeast}. */
  public static void assertDiffer(INDArray a, INDArray b, double atLeast, String what) {
    double worst = maxAbsDifference(a, b);
    assertTrue(worst > atLeast, what + ": max |difference| " + worst + " ≤ " + atLeast);
  }

  public static void assertFinite(INDArray a, String what) {
    INDArray d = a.castTo(DataType.DOUBLE);
    assertTrue(!d.isNaN().any() && !d.isInfinite().any(), what + " has NaN or infinite values");
  }

  /**
   * Adds N(0, scale²) noise to every parameter, so that checks do not run at a special point such
   * as unit gains and zero biases.
   */
  public static void perturb(List<Tensor> parameters, long seed, double scale) {
    try (Rng rng = new Rng(seed)) {
      for (Tensor p : parameters) {
        p.value().addi(rng.normal(p.dataType(), 0, scale, p.shape()));
      }
    }
  }

  /** (B, T) validity mask, 1 for real tokens: row b has {@code lengths[b]} real tokens then padding. */
  public static INDArray rightPadded(int t, int... lengths) {
    INDArray valid = Nd4j.zeros(DataType.DOUBLE, lengths.length, t);
    for (int b = 0; b < lengths.length; b++) {
      for (int j = 0; j < lengths[b]; j++) {
        valid.putScalar(b, j, 1.0);
      }
    }
    return valid;
  }
}
