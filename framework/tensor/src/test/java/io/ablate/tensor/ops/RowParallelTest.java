package io.ablate.tensor.ops;

import static io.ablate.tensor.ops.KernelSettings.onThreads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The heap kernels split over threads give what they give on one: GELU, the attention softmax and
 * the fused LayerNorm, forward and backward, with row counts that do not divide evenly; and the
 * split itself covers every row once and passes a failure on.
 */
class RowParallelTest {

  @Test
  void rangesCoverEveryRowOnceAndSmallInputsStayOnOneThread() {
    int rows = 1001;
    int cols = 97;                                                       // 97 097 elements: above the threshold
    int parts = onThreads(3, () -> RowParallel.parts(rows, cols));
    assertEquals(3, parts);
    AtomicIntegerArray seen = new AtomicIntegerArray(rows);
    onThreads(3, () -> {
      RowParallel.run(rows, cols, (part, from, to) -> {
        for (int r = from; r < to; r++) {
          seen.incrementAndGet(r);
        }
      });
      return null;
    });
    for (int r = 0; r < rows; r++) {
      assertEquals(1, seen.get(r), "row " + r);
    }
    assertEquals(1, onThreads(3, () -> RowParallel.parts(10, 10)));
  }

  @Test
  void aFailureInAnotherRangeReachesTheCaller() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onThreads(2, () -> {
      RowParallel.run(1000, 1000, (part, from, to) -> {
        if (part == 1) {
          throw new IllegalArgumentException("range " + from);
        }
      });
      return null;
    }));
    assertEquals("range 500", e.getMessage());
  }

  @Test
  void geluIsTheSameOnThreeThreads() {
    INDArray x = Nd4j.randn(DataType.FLOAT, 7, 131, 101);              // 92 617 elements
    INDArray g = Nd4j.randn(DataType.FLOAT, 7, 131, 101);
    assertEquals(onThreads(1, () -> Gelu.forward(x)), onThreads(3, () -> Gelu.forward(x)));
    assertEquals(onThreads(1, () -> Gelu.backward(x, g)), onThreads(3, () -> Gelu.backward(x, g)));
  }

  @Test
  void attentionSoftmaxIsTheSameOnThreeThreads() {
    INDArray scores = Nd4j.randn(DataType.FLOAT, 3, 5, 67, 67);        // 67 335 elements
    INDArray mask = Nd4j.randn(DataType.FLOAT, 1, 1, 67, 67);
    INDArray one = onThreads(1, () -> ScaledSoftmax.forward(scores, 0.25, mask));
    assertEquals(one, onThreads(3, () -> ScaledSoftmax.forward(scores, 0.25, mask)));
    INDArray g = Nd4j.randn(DataType.FLOAT, 3, 5, 67, 67);
    assertEquals(onThreads(1, () -> ScaledSoftmax.backward(one, g, 0.25)),
        onThreads(3, () -> ScaledSoftmax.backward(one, g, 0.25)));
  }

  @Test
  void layerNormIsTheSameOnThreeThreadsAndItsParameterGradientsAddUp() {
    INDArray x = Nd4j.randn(DataType.FLOAT, 5, 103, 160);              // 82 400 elements
    INDArray gain = Nd4j.randn(DataType.FLOAT, 160);
    INDArray bias = Nd4j.randn(DataType.FLOAT, 160);
    INDArray g = Nd4j.randn(DataType.FLOAT, 5, 103, 160);
    FusedNorm.Forward one = onThreads(1, () -> FusedNorm.forward(x, gain, bias, 1e-5, true));
    FusedNorm.Forward three = onThreads(3, () -> FusedNorm.forward(x, gain, bias, 1e-5, true));
    assertEquals(one.out(), three.out());
    assertEquals(one.saved().rstd(), three.saved().rstd());
    FusedNorm.Grads a = onThreads(1, () -> FusedNorm.backward(g, one.saved(), gain, true, true, true, true));
    FusedNorm.Grads b = onThreads(3, () -> FusedNorm.backward(g, one.saved(), gain, true, true, true, true));
    assertEquals(a.dx(), b.dx());
    // the sums over 515 rows are added in another order: equal to float32 rounding, not bit for bit
    assertEquals(0, a.dgain().sub(b.dgain()).amaxNumber().doubleValue(), 1e-3);
    assertEquals(0, a.dbias().sub(b.dbias()).amaxNumber().doubleValue(), 1e-3);
    assertEquals(0, a.dbias().sub(g.sum(0, 1)).amaxNumber().doubleValue(), 1e-3);
  }
}
