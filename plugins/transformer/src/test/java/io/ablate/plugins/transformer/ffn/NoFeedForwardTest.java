package io.ablate.plugins.transformer.ffn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ablate.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code ffn: none} adds nothing to the residual stream and passes no gradient through its branch. */
class NoFeedForwardTest {
  @Test
  void theBranchIsZeroWithAZeroGradient() {
    Tensor x = Tensor.variable(Nd4j.rand(DataType.DOUBLE, 2, 3, 4).subi(0.5));              // (B, T, D)
    Tensor out = NoFeedForward.ZERO.forward(x);
    assertEquals(java.util.List.of(2L, 3L, 4L), java.util.Arrays.stream(out.value().shape()).boxed().toList());
    assertEquals(0.0, out.value().amaxNumber().doubleValue());
    x.add(out).sum().backward();                                                           // residual: x + ffn(x)
    assertEquals(1.0, x.grad().minNumber().doubleValue(), 1e-12, "only the identity path carries gradient");
    assertEquals(1.0, x.grad().maxNumber().doubleValue(), 1e-12);
  }
}
