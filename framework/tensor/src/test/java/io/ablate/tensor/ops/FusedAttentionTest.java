package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.GradMode;
import io.ablate.tensor.Lever;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused attention op against the chain it replaces (product, one-pass softmax, product): values
 * and the gradients of q, k and v with the heads of a projection as inputs (strided views), masks
 * broadcast over batch and heads with a fully masked row, a sliding window, more keys than queries,
 * one and three threads, a bias too large to copy; the same output when nothing is recorded; and the finite-difference check of the float32
 * kernel itself.
 */
class FusedAttentionTest {
  private static final double SCALE = 0.25;

  @Test
  void matchesTheChainOnOneAndThreeThreads() {
    int b = 3;
    int h = 4;
    int tq = 64;                                   // large enough to be split over the threads
    int tk = 96;
    int dh = 32;
    INDArray causal = causalBias(tq, tk);                                                  // (1, 1, Tq, Tk)
    INDArray perBatch = causalBias(tq, tk).repeat(0, b);                                   // (B, 1, Tq, Tk)
    perBatch.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(7), NDArrayIndex.all())
        .assign(Softmax.MASKED);                                                           // a fully masked row
    INDArray window = causalBias(tq, tk);                                                  // keys i-2 .. i only
    for (int i = 0; i < tq; i++) {
      for (int j = 0; j < i + (tk - tq) - 2; j++) {
        window.putScalar(new long[] {0, 0, i, j}, Softmax.MASKED);
      }
    }
    for (int threads : new int[] {1, 3}) {
      for (INDArray bias : new INDArray[] {null, causal, perBatch, window}) {
        KernelSettings.onThreads(threads, () -> {
          compare(heads(b, tq, h, dh), heads(b, tk, h, dh), heads(b, tk, h, dh), bias, threads);
          return null;
        });
      }
    }
  }

  @Test
  void aBiasTooLargeToCopyIsReadInPlace() {
    long before = HeapBias.maxElements;
    HeapBias.maxElements = 0;
    try {
      compare(heads(2, 40, 3, 16), heads(2, 40, 3, 16), heads(2, 40, 3, 16), causalBias(40, 40), 1);
    } finally {
      HeapBias.maxElements = before;
    }
  }

  @Test
  void contiguousInputsAndUnusedGradientsToo() {
    INDArray q = Nd4j.randn(DataType.FLOAT, 2, 3, 9, 8);                                   // (B, H, Tq, Dh), dense
    INDArray k = Nd4j.randn(DataType.FLOAT, 2, 3, 9, 8);
    INDArray v = Nd4j.randn(DataType.FLOAT, 2, 3, 9, 5);                                   // Dv ≠ Dh
    Tensor tq = Tensor.variable(q.dup());
    Tensor tk = Tensor.constant(k.dup());                                                  // needs no gradient
    Tensor tv = Tensor.variable(v.dup());
    Tensor fused = DotProductAttention.apply(tq, tk, tv, SCALE, causalBias(9, 9));
    assertEquals("attention", fused.op());
    Tensor cq = Tensor.variable(q.dup());
    Tensor cv = Tensor.variable(v.dup());
    Tensor chain = chain(cq, Tensor.constant(k.dup()), cv, causalBias(9, 9));
    assertClose(chain.value(), fused.value(), "value");
    INDArray upstream = Nd4j.randn(DataType.FLOAT, fused.shape());
    fused.backward(upstream);
    chain.backward(upstream);
    assertClose(cq.grad(), tq.grad(), "dq");
    assertClose(cv.grad(), tv.grad(), "dv");
    assertNull(tk.gradOrNull());
  }

  @Test
  void withoutRecordingTheOutputIsTheSame() {
    INDArray q = heads(2, 64, 4, 32);                                                      // split over 2 threads
    INDArray k = heads(2, 64, 4, 32);
    INDArray v = heads(2, 64, 4, 32);
    INDArray recorded = DotProductAttention.apply(Tensor.variable(q.dup()), Tensor.variable(k.dup()),
        Tensor.variable(v.dup()), SCALE, causalBias(64, 64)).value();
    Tensor unrecorded;
    try (var ignored = GradMode.noGrad()) {
      unrecorded = KernelSettings.onThreads(2, () -> DotProductAttention.apply(Tensor.variable(q), Tensor.variable(k),
          Tensor.variable(v), SCALE, causalBias(64, 64)));
    }
    assertTrue(FusedAttention.supports(q, k, v, causalBias(64, 64)), "the fused kernel ran");
    assertEquals(0, recorded.sub(unrecorded.value()).amaxNumber().doubleValue(), 1e-6);
  }

  @Test
  void theLeverOffRunsTheChain() {
    Tensor out = KernelSettings.withLever(Lever.FUSED_ATTENTION, false, () -> DotProductAttention.apply(
        Tensor.variable(heads(1, 4, 2, 4)), Tensor.variable(heads(1, 4, 2, 4)), Tensor.variable(heads(1, 4, 2, 4)),
        SCALE, null));
    assertNotEquals("attention", out.op());
  }

  @Test
  void theFloat32KernelPassesTheGradientCheck() {
    INDArray bias = causalBias(3, 4);
    // float32: a wider step and tolerance than the float64 defaults
    List<GradCheck.Mismatch> mismatches = new GradCheck(1e-2, 1e-2, 2e-3).check(t -> {
      Tensor out = DotProductAttention.apply(toFloat(t[0]), toFloat(t[1]), toFloat(t[2]), 0.7, bias);
      assertTrue(!GradMode.isEnabled() || "attention".equals(out.op()), "the fused kernel ran");
      return toDouble(out);
    }, GradCheck.randn(1, 2, 2, 3, 5), GradCheck.randn(2, 2, 2, 4, 5), GradCheck.randn(3, 2, 2, 4, 3));
    assertTrue(mismatches.isEmpty(), () -> mismatches.toString());
  }

  private static void compare(INDArray q, INDArray k, INDArray v, INDArray bias, int threads) {
    Tensor[] fusedIn = {Tensor.variable(q.dup()), Tensor.variable(k.dup()), Tensor.variable(v.dup())};
    Tensor[] chainIn = {Tensor.variable(q.dup()), Tensor.variable(k.dup()), Tensor.variable(v.dup())};
    Tensor fused = DotProductAttention.apply(fusedIn[0], fusedIn[1], fusedIn[2], SCALE, bias);
    assertEquals("attention", fused.op(), "the fused kernel ran");
    Tensor chain = chain(chainIn[0], chainIn[1], chainIn[2], bias);
    String what = threads + " thread(s)" + (bias == null ? "" : ", bias " + java.util.Arrays.toString(bias.shape()));
    assertClose(chain.value(), fused.value(), what + ": value");
    INDArray upstream = Nd4j.randn(DataType.FLOAT, fused.shape());
    fused.backward(upstream);
    chain.backward(upstream);
    for (int i = 0; i < 3; i++) {
      assertClose(chainIn[i].grad(), fusedIn[i].grad(), what + ": gradient of input " + i);
    }
  }

  private static Tensor chain(Tensor q, Tensor k, Tensor v, INDArray bias) {
    return KernelSettings.withLever(Lever.FUSED_ATTENTION, false, () -> DotProductAttention.apply(q, k, v, SCALE, bias));
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    assertEquals(0, expected.sub(actual).amaxNumber().doubleValue() / scale, 2e-6, what);
  }

  /** (B, H, T, Dh) heads of a (B, T, H·Dh) projection: a strided view, as attention receives them. */
  private static INDArray heads(int b, int t, int h, int dh) {
    return Nd4j.randn(DataType.FLOAT, b, t, h * dh).reshape(b, t, h, dh).permute(0, 2, 1, 3);
  }

  /** (1, 1, Tq, Tk): query i sees keys ≤ i + (Tk − Tq). */
  private static INDArray causalBias(int tq, int tk) {
    INDArray bias = Nd4j.zeros(DataType.FLOAT, 1, 1, tq, tk);
    for (int i = 0; i < tq; i++) {
      for (int j = i + (tk - tq) + 1; j < tk; j++) {
        bias.putScalar(new long[] {0, 0, i, j}, Softmax.MASKED);
      }
    }
    return bias;
  }

  private static Tensor toFloat(Tensor t) {
    return cast(t, DataType.FLOAT);
  }

  private static Tensor toDouble(Tensor t) {
    return cast(t, DataType.DOUBLE);
  }

  /** The identity between float types, differentiable. */
  private static Tensor cast(Tensor t, DataType type) {
    return Tensor.fromOp("cast", t.value().castTo(type), (g, grads) -> grads.add(t, g.castTo(t.dataType())), t);
  }
}
