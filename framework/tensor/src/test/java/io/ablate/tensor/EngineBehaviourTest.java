package io.ablate.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.ops.Losses;
import io.ablate.tensor.ops.MatMul;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Memory release, no-grad scopes, and error messages of the engine. */
class EngineBehaviourTest {

  @Test
  void backwardReleasesIntermediatesButNotLeavesOrTheLoss() {
    Tensor w = Tensor.parameter("w", Nd4j.rand(DataType.FLOAT, 4, 4));
    Tensor x = Tensor.constant(Nd4j.rand(DataType.FLOAT, 2, 4));
    Tensor hidden = x.matmul(w).tanh();
    Tensor loss = hidden.reshape(8).sum();
    loss.backward();
    TensorException e = assertThrows(TensorException.class, hidden::value);
    assertTrue(e.getMessage().contains("was released (after backward()"), e.getMessage());
    assertFalse(w.value().wasClosed());
    assertFalse(x.value().wasClosed());
    assertTrue(Double.isFinite(loss.item()));
    assertEquals(16, w.grad().length());
  }

  @Test
  void viewsOfParametersSurviveRelease() {
    Tensor table = Tensor.parameter("table", Nd4j.rand(DataType.FLOAT, 3, 4));
    Tensor loss = table.reshape(12).slice(0, 2, 6).transpose(0, 0).exp().sum();
    loss.backward();
    assertFalse(table.value().wasClosed());
    assertEquals(12, table.value().length());
  }

  @Test
  void keepingTheGraphLeavesIntermediatesReadable() {
    Tensor w = Tensor.parameter("w", Nd4j.rand(DataType.FLOAT, 3));
    Tensor hidden = w.exp();
    hidden.sum().backward(false);
    assertEquals(3, hidden.value().length());
  }

  @Test
  void noGradRecordsNothing() {
    Tensor w = Tensor.parameter("w", Nd4j.rand(DataType.FLOAT, 3));
    try (var ignored = GradMode.noGrad()) {
      Tensor y = w.exp().sum();
      assertFalse(y.requiresGrad());
      assertNull(y.op());
      TensorException e = assertThrows(TensorException.class, y::backward);
      assertTrue(e.getMessage().contains("noGrad"), e.getMessage());
    }
    assertTrue(GradMode.isEnabled());
  }

  @Test
  void arenaFreesWhatOpsAllocatedExceptKeptTensors() {
    Tensor w = Tensor.constant(Nd4j.rand(DataType.FLOAT, 3));
    Tensor dropped;
    Tensor kept;
    try (Arena arena = Arena.open()) {
      dropped = w.exp();
      kept = arena.keep(w.mul(2.0));
    }
    assertTrue(isReleasedError(dropped));
    assertEquals(3, kept.value().length());
    assertFalse(w.value().wasClosed());
  }

  @Test
  void whatANestedArenaKeepsIsFreedWithTheArenaAroundIt() {
    Tensor w = Tensor.constant(Nd4j.rand(DataType.FLOAT, 3));
    Tensor dropped;
    Tensor kept;
    try (Arena outer = Arena.open()) {
      try (Arena inner = Arena.open()) {
        dropped = w.exp();
        kept = inner.keep(w.mul(2.0));
      }
      assertTrue(isReleasedError(dropped));
      assertEquals(3, kept.value().length());
    }
    assertTrue(isReleasedError(kept));
    assertFalse(w.value().wasClosed());
  }

  @Test
  void keepingAViewKeepsTheArrayUnderIt() {
    Tensor w = Tensor.constant(Nd4j.rand(DataType.FLOAT, 2, 3));
    Tensor view;
    try (Arena arena = Arena.open()) {
      view = arena.keep(w.mul(2.0).reshape(6));
    }
    assertEquals(w.value().getFloat(1, 2) * 2f, view.value().getFloat(5), 1e-6f);
  }

  @Test
  void withoutGradientsASublayerFreesItsIntermediatesAsItReturns() {
    Tensor w = Tensor.constant(Nd4j.rand(DataType.FLOAT, 3));
    Tensor[] inside = new Tensor[1];
    Tensor result;
    try (Arena pass = Arena.open(); var ignored = GradMode.noGrad()) {
      result = Arena.releasingIntermediates(() -> {
        inside[0] = w.exp();
        return inside[0].mul(2.0);
      });
      assertTrue(isReleasedError(inside[0]));
      assertEquals(3, result.value().length());
    }
    assertTrue(isReleasedError(result));
  }

  @Test
  void withGradientsASublayerKeepsItsIntermediatesForBackward() {
    Tensor w = Tensor.variable(Nd4j.rand(DataType.DOUBLE, 3));
    Tensor[] inside = new Tensor[1];
    Tensor result = Arena.releasingIntermediates(() -> {
      inside[0] = w.exp();
      return inside[0].mul(inside[0]).sum();
    });
    result.backward();
    INDArray expected = Transforms.exp(w.value().mul(2), true).mul(2);   // d/dw e^{2w}
    assertEquals(0, expected.sub(w.grad()).amaxNumber().doubleValue(), 1e-12);
  }

  @Test
  void arenaNeverFreesAViewOfAParameter() {
    Tensor table = Tensor.parameter("table", Nd4j.rand(DataType.FLOAT, 4, 3));
    try (var ignored = GradMode.noGrad(); Arena arena = Arena.open()) {
      table.slice(0, 0, 4).reshape(12).permute(0).exp();
    }
    assertEquals(12, table.value().length());
    assertFalse(table.value().wasClosed());
  }

  @Test
  void embeddingGradientSumsRepeatedIdsExactlyOnAllThreads() {
    // Many repeats of few ids, large enough for libnd4j to split the work across threads.
    long vocab = 8;
    long tokens = 4096;
    long dim = 64;
    INDArray ids;
    INDArray upstream;
    try (Rng rng = new Rng(11)) {
      ids = rng.integers(vocab, tokens);
      upstream = rng.normal(DataType.DOUBLE, 0, 1, tokens, dim);
    }
    Tensor table = Tensor.variable(Nd4j.zeros(DataType.DOUBLE, vocab, dim));
    io.ablate.tensor.ops.Shapes.gather(table, ids).backward(upstream);
    INDArray onehot = Nd4j.zeros(DataType.DOUBLE, tokens, vocab);
    for (long i = 0; i < tokens; i++) {
      onehot.putScalar(i, ids.getLong(i), 1.0);
    }
    INDArray expected = onehot.transpose().mmul(upstream);                    // (V, D)
    double worst = Nd4j.math().abs(expected.sub(table.grad())).maxNumber().doubleValue();
    assertTrue(worst < 1e-9, "max |difference| " + worst);
  }

  @Test
  void batchNormRunningStatisticsSkipPaddingRowsAndUseTheUnbiasedVariance() {
    // Two features; rows 0-2 real, row 3 padding with huge values that must not count.
    INDArray x = Nd4j.createFromArray(new double[][] {{1, 10}, {2, 20}, {3, 60}, {1000, -1000}});
    INDArray rows = Nd4j.createFromArray(1.0, 1.0, 1.0, 0.0);
    io.ablate.tensor.ops.Norms.BatchNormState state =
        new io.ablate.tensor.ops.Norms.BatchNormState(2, DataType.DOUBLE, 0.1, 1e-5);
    io.ablate.tensor.ops.Norms.batchNorm(Tensor.constant(x), null, null, state, rows, true);
    // means 2 and 30; unbiased variances 1 and 700
    assertEquals(0.1 * 2, state.runningMean().getDouble(0), 1e-12);
    assertEquals(0.1 * 30, state.runningMean().getDouble(1), 1e-12);
    assertEquals(0.9 + 0.1 * 1, state.runningVar().getDouble(0), 1e-12);
    assertEquals(0.9 + 0.1 * 700, state.runningVar().getDouble(1), 1e-9);
  }

  private static boolean isReleasedError(Tensor t) {
    try {
      t.value();
      return false;
    } catch (TensorException e) {
      return true;
    }
  }

  @Test
  void shapeErrorsNameTheOpAndShapes() {
    Tensor a = Tensor.constant(Nd4j.rand(DataType.FLOAT, 2, 3));
    Tensor b = Tensor.constant(Nd4j.rand(DataType.FLOAT, 4, 5));
    TensorException e = assertThrows(TensorException.class, () -> a.matmul(b));
    assertTrue(e.getMessage().startsWith("matmul: inner dimensions differ (3 vs 4)"), e.getMessage());
    assertTrue(e.getMessage().contains("(2, 3), (4, 5)"), e.getMessage());

    TensorException add = assertThrows(TensorException.class, () -> a.add(b));
    assertTrue(add.getMessage().startsWith("add: shapes cannot be broadcast"), add.getMessage());

    Tensor bias = Tensor.constant(Nd4j.rand(DataType.FLOAT, 2));
    Tensor w = Tensor.constant(Nd4j.rand(DataType.FLOAT, 3, 5));
    TensorException linear = assertThrows(TensorException.class, () -> MatMul.linear(a, w, bias));
    assertTrue(linear.getMessage().contains("bias must be 1-D of length 5"), linear.getMessage());
  }

  @Test
  void nanLossIsReportedWithTheOp() {
    Tensor w = Tensor.parameter("w", Nd4j.createFromArray(-1.0f, 2.0f));
    Tensor loss = w.log().sum();   // log(-1) = NaN
    TensorException e = assertThrows(TensorException.class, loss::backward);
    assertTrue(e.getMessage().contains("the loss is NaN"), e.getMessage());
    assertTrue(e.getMessage().contains("sum"), e.getMessage());
  }

  @Test
  void crossEntropyRejectsOutOfRangeTargets() {
    Tensor logits = Tensor.constant(Nd4j.rand(DataType.FLOAT, 2, 3));
    INDArray targets = Nd4j.createFromArray(0L, 7L);
    TensorException e = assertThrows(TensorException.class, () -> Losses.crossEntropy(logits, targets, -100));
    assertTrue(e.getMessage().contains("[0, 3)"), e.getMessage());
  }

  @Test
  void crossEntropyWithEveryTargetIgnoredIsZero() {
    Tensor logits = Tensor.variable(Nd4j.rand(DataType.FLOAT, 2, 3));
    Tensor loss = Losses.crossEntropy(logits, Nd4j.createFromArray(0L, 0L), 0);
    assertEquals(0.0, loss.item());
    loss.backward();
    assertEquals(0.0, logits.grad().sumNumber().doubleValue());
  }

  @Test
  void fullyMaskedSoftmaxRowIsUniformInBothPrecisions() {
    for (org.nd4j.linalg.api.buffer.DataType type : new org.nd4j.linalg.api.buffer.DataType[] {
        org.nd4j.linalg.api.buffer.DataType.FLOAT, org.nd4j.linalg.api.buffer.DataType.DOUBLE}) {
      org.nd4j.linalg.api.ndarray.INDArray row = org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {1, 4},
          io.ablate.tensor.ops.Softmax.MASKED, type);
      double[] p = io.ablate.tensor.ops.Softmax.softmax(Tensor.constant(row), -1).value().data().asDouble();
      org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, p, 1e-7, type.toString());
    }
  }
}
