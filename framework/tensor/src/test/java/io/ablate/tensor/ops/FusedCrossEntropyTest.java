package io.ablate.tensor.ops;

import static io.ablate.tensor.ops.KernelSettings.withLever;
import static io.ablate.tensor.ops.KernelSettings.onThreads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Lever;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.TensorException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 cross-entropy kernel against the libnd4j chain: loss and logit gradient with
 * ignored targets, over 3 threads with rows that straddle the chunks; all targets ignored; large
 * logits; and a target out of range named in the error.
 */
class FusedCrossEntropyTest {

  @Test
  void matchesTheChainWithIgnoredTargetsOnThreeThreads() {
    INDArray logits = Nd4j.randn(DataType.FLOAT, 7, 101, 97).muli(4);             // 707 rows of 97: 68 579 elements
    INDArray targets = Nd4j.randn(DataType.FLOAT, 7, 101).muli(40).addi(48).castTo(DataType.INT64);
    for (long i = 0; i < targets.length(); i++) {
      long t = Math.max(0, Math.min(96, targets.getLong(i)));
      targets.putScalar(i, i % 5 == 0 ? -100 : t);                               // every fifth ignored
    }
    compare(logits, targets, -100, 3);
    compare(logits.mul(100), targets, -100, 3);                                   // e^-75 cut-offs, no overflow
    INDArray none = targets.dup();
    for (long i = 0; i < none.length(); i++) {
      none.putScalar(i, Math.max(0, none.getLong(i)));
    }
    compare(logits, none, Losses.NO_IGNORE, 1);                                    // nothing ignored, one thread
  }

  @Test
  void allTargetsIgnoredGiveZeroLossAndGradient() {
    INDArray logits = Nd4j.randn(DataType.FLOAT, 4, 9);
    INDArray targets = Nd4j.valueArrayOf(new long[] {4}, -1L, DataType.INT64);
    Tensor x = Tensor.variable(logits.dup());
    Tensor loss = withLever(Lever.FUSED_CROSS_ENTROPY, true, () -> Losses.crossEntropy(x, targets, -1));
    assertEquals(0.0, loss.item(), 0.0);
    loss.backward();
    assertEquals(0.0, x.grad().amaxNumber().doubleValue(), 0.0);
  }

  @Test
  void aTargetOutOfRangeIsNamed() {
    INDArray targets = Nd4j.createFromArray(new long[] {1, 12, 3});
    TensorException e = assertThrows(TensorException.class, () -> withLever(Lever.FUSED_CROSS_ENTROPY, true,
        () -> Losses.crossEntropy(Tensor.variable(Nd4j.randn(DataType.FLOAT, 3, 9)), targets, -1)));
    assertTrue(e.getMessage().contains("[0, 9)") && e.getMessage().contains("[1, 12]"), e.getMessage());
  }

  private static void compare(INDArray logits, INDArray targets, long ignore, int threads) {
    Tensor a = Tensor.variable(logits.dup());
    Tensor b = Tensor.variable(logits.dup());
    Tensor fused = onThreads(threads, () -> withLever(Lever.FUSED_CROSS_ENTROPY, true, () -> Losses.crossEntropy(a, targets, ignore)));
    Tensor chain = withLever(Lever.FUSED_CROSS_ENTROPY, false, () -> Losses.crossEntropy(b, targets, ignore));
    assertEquals(chain.item(), fused.item(), 1e-5 * Math.max(1, Math.abs(chain.item())), "loss");
    onThreads(threads, () -> withLever(Lever.FUSED_CROSS_ENTROPY, true, () -> {
      fused.backward();
      return null;
    }));
    withLever(Lever.FUSED_CROSS_ENTROPY, false, () -> {
      chain.backward();
      return null;
    });
    assertEquals(0, a.grad().sub(b.grad()).amaxNumber().doubleValue(), 1e-6, "gradient");
  }
}
