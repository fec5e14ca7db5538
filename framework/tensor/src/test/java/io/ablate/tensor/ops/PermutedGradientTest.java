package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.BufferPool;
import io.ablate.tensor.Layout;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Gradients that keep a permuted view's layout: batched products write the gradient of a permuted
 * operand in that operand's memory order ({@code Kᵀ}'s batch entries column-major, computed as the
 * transposed product), and reshapes and permutes pass a whole gradient on without copying. Checked
 * by finite differences through attention's head split, {@code Q·Kᵀ}, {@code ·V} and head merge,
 * with a batch of one (size-1 axes) and of two, and against the same graph on contiguous copies.
 */
class PermutedGradientTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void attentionThroughPermutedViewsPassesTheGradientCheck(int batch) {
    List<GradCheck.Mismatch> mismatches = GradCheck.standard().check(t -> attention(t, batch, false),
        GradCheck.randn(1, batch, 5, 12), GradCheck.randn(2, batch, 5, 12), GradCheck.randn(3, batch, 5, 12));
    assertTrue(mismatches.isEmpty(), () -> mismatches.toString());
  }

  @Test
  void gradientsEqualThoseOfTheSameGraphOnContiguousCopies() {
    INDArray[] inputs = {Nd4j.randn(DataType.FLOAT, 2, 7, 24), Nd4j.randn(DataType.FLOAT, 2, 7, 24),
        Nd4j.randn(DataType.FLOAT, 2, 7, 24)};
    Tensor[] viaViews = variables(inputs);
    Tensor[] viaCopies = variables(inputs);
    attention(viaViews, 2, false).sum().backward();
    attention(viaCopies, 2, true).sum().backward();
    for (int i = 0; i < 3; i++) {
      assertEquals(0, viaViews[i].grad().sub(viaCopies[i].grad()).amaxNumber().doubleValue(), 1e-4, "input " + i);
    }
  }

  @Test
  void theStorageOrderOfPermutedDenseArrays() {
    INDArray x = Nd4j.create(DataType.FLOAT, 2, 5, 3, 4);
    assertEquals(null, Layout.storageOrder(x));                                      // already c-ordered
    assertArrayEquals(new int[] {0, 2, 1, 3}, Layout.storageOrder(x.permute(0, 2, 1, 3)));
    assertArrayEquals(new int[] {0, 2, 3, 1}, Layout.storageOrder(x.permute(0, 3, 1, 2)));
    assertEquals(null, Layout.storageOrder(x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2))));   // a slice
    assertTrue(Layout.fillsItsBuffer(x.permute(0, 2, 1, 3)));
    INDArray like = BufferPool.uninitializedLike(x.permute(0, 3, 1, 2));
    assertArrayEquals(new long[] {2, 4, 5, 3}, like.shape());
    assertArrayEquals(x.permute(0, 3, 1, 2).stride(), like.stride());
  }

  /** Heads of (B, T, H·Dh) projections, softmax-free attention, heads merged; optionally on copies. */
  private static Tensor attention(Tensor[] t, int batch, boolean contiguous) {
    Function<Tensor, Tensor> heads = x -> {
      Tensor h = x.reshape(batch, x.size(1), 3, x.size(2) / 3).permute(0, 2, 1, 3);  // (B, H, T, Dh)
      return contiguous ? h.mul(1.0) : h;
    };
    Tensor q = heads.apply(t[0]);
    Tensor k = heads.apply(t[1]);
    Tensor v = heads.apply(t[2]);
    Tensor kt = contiguous ? k.transpose(2, 3).mul(1.0) : k.transpose(2, 3);          // (B, H, Dh, T)
    Tensor out = q.matmul(kt).mul(0.5).matmul(v);                                     // (B, H, T, Dh)
    return out.permute(0, 2, 1, 3).reshape(batch, t[0].size(1), t[0].size(2));        // (B, T, H·Dh)
  }

  private static Tensor[] variables(INDArray[] inputs) {
    Tensor[] out = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      out[i] = Tensor.variable(inputs[i].dup());
    }
    return out;
  }
}
