package io.ablate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.tensor.Lever;
import io.ablate.tensor.Threads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * StridedGemm against libnd4j's own matmul of row-major copies, over the layouts the engine meets.
 * Batched products take this path on one BLAS thread, so the tests run on one.
 */
class StridedGemmTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @BeforeAll
  static void oneThread() {
    Threads.use(1);
  }

  @AfterAll
  static void allThreads() {
    Threads.use(CORES);
  }

  @Test
  void withoutTheSplitBatchedProductsAreLeftToLibnd4jWhenBlasHasSeveralThreads() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3, 4);
    INDArray out = Nd4j.create(DataType.FLOAT, 2, 3, 3);
    boolean split = Lever.SPLIT_GEMM.on();
    Threads.use(2);
    try {
      Lever.SPLIT_GEMM.set(true);
      assertTrue(StridedGemm.supports(a, a.permute(0, 2, 1), out));
      Lever.SPLIT_GEMM.set(false);
      assertFalse(StridedGemm.supports(a, a.permute(0, 2, 1), out));
      assertTrue(StridedGemm.supports(Nd4j.rand(DataType.FLOAT, 3, 4), Nd4j.rand(DataType.FLOAT, 4, 3),
          Nd4j.create(DataType.FLOAT, 3, 3)));
    } finally {
      Lever.SPLIT_GEMM.set(split);
      Threads.use(1);
    }
  }

  /**
   * Products large enough to split, over 3 threads (uneven ranges): a product's rows (more rows
   * than columns) and its columns (fewer), with every transpose flag, and the batch entries of
   * attention's permuted views, equal libnd4j's product and the same product on one thread. Three
   * threads call BLAS at once here.
   */
  @ParameterizedTest
  @EnumSource(Type.class)
  void splitOverThreadsEqualsOneThread(Type type) {
    DataType t = DataType.valueOf(type.name());
    boolean split = Lever.SPLIT_GEMM.on();
    RowParallel.threadsOverride = 3;
    try {
      for (int[] mnk : new int[][] {{301, 53, 150}, {53, 307, 150}}) {
        for (boolean transA : new boolean[] {false, true}) {
          for (boolean transB : new boolean[] {false, true}) {
            INDArray a = transA ? Nd4j.rand(t, mnk[2], mnk[0]) : Nd4j.rand(t, mnk[0], mnk[2]);
            INDArray b = transB ? Nd4j.rand(t, mnk[1], mnk[2]) : Nd4j.rand(t, mnk[2], mnk[1]);
            assertSplitMatches(a, b, transA, transB);
          }
        }
      }
      INDArray q = Nd4j.rand(t, 5, 61, 4 * 29).reshape(5, 61, 4, 29).permute(0, 2, 1, 3);   // (B, H, T, Dh) view
      INDArray k = Nd4j.rand(t, 5, 67, 4 * 29).reshape(5, 67, 4, 29).permute(0, 2, 3, 1);   // (B, H, Dh, Tk) view
      assertSplitMatches(q, k, false, false);
    } finally {
      Lever.SPLIT_GEMM.set(split);
      RowParallel.threadsOverride = 0;
    }
  }

  private static void assertSplitMatches(INDArray a, INDArray b, boolean transA, boolean transB) {
    Lever.SPLIT_GEMM.set(false);
    INDArray one = product(a, b, transA, transB);
    Lever.SPLIT_GEMM.set(true);
    assertTrue(2.0 * one.length() * (transA ? a.size(-2) : a.size(-1)) >= StridedGemm.MIN_SPLIT_FLOPS);
    INDArray split = product(a, b, transA, transB);
    double tolerance = a.dataType() == DataType.FLOAT ? 1e-4 : 1e-12;
    assertEquals(0.0, one.sub(split).amaxNumber().doubleValue(), tolerance);
    assertMatches(a, b, transA, transB, 1.0, 0.0);
  }

  private static INDArray product(INDArray a, INDArray b, boolean transA, boolean transB) {
    INDArray out = Nd4j.create(a.dataType(), MatMul.productShape(a, b, transA, transB));
    StridedGemm.gemm(a, b, out, transA, transB, 1.0, 0.0);
    return out;
  }

  enum Type { FLOAT, DOUBLE }

  @ParameterizedTest
  @EnumSource(Type.class)
  void attentionHeadsAsPermutedViews(Type type) {
    DataType t = DataType.valueOf(type.name());
    INDArray q = Nd4j.rand(t, 3, 5, 4 * 6).reshape(3, 5, 4, 6).permute(0, 2, 1, 3);  // (B, H, T, Dh) view
    INDArray k = Nd4j.rand(t, 3, 7, 4 * 6).reshape(3, 7, 4, 6).permute(0, 2, 3, 1);  // (B, H, Dh, Tk) view
    assertMatches(q, k, false, false, 1.0, 0.0);
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void transposeFlagsOnRowAndColumnMajorOperands(Type type) {
    DataType t = DataType.valueOf(type.name());
    INDArray a = Nd4j.rand(t, 2, 3, 4, 5);
    INDArray b = Nd4j.rand(t, 2, 3, 4, 6);
    assertMatches(a, b, true, false, 1.0, 0.0);                        // Aᵀ·B
    assertMatches(b.permute(0, 1, 3, 2), a, false, false, 0.5, 0.0);   // a column-major view, alpha
    INDArray c = Nd4j.rand(t, 2, 3, 6, 4);
    assertMatches(a, c, true, true, 1.0, 0.0);                         // Aᵀ·Cᵀ
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void offsetViewsSingleRowsAndColumnsAndBeta(Type type) {
    DataType t = DataType.valueOf(type.name());
    INDArray big = Nd4j.rand(t, 4, 7, 9);
    INDArray a = big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5), NDArrayIndex.interval(1, 6)); // (2, 3, 5), offset, ld 9
    INDArray b = Nd4j.rand(t, 2, 5, 1);                                // one column
    assertMatches(a, b, false, false, 1.0, 0.0);
    INDArray row = Nd4j.rand(t, 2, 1, 3);                              // one row
    assertMatches(row, a, false, false, 1.0, 0.0);
    INDArray m = Nd4j.rand(t, 5, 4);
    assertMatches(Nd4j.rand(t, 3, 5), m, false, false, 2.0, 0.5);      // 2-D, accumulates into out
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void anUnreadableLayoutIsCopiedFirst(Type type) {
    DataType t = DataType.valueOf(type.name());
    INDArray everyOther = Nd4j.rand(t, 2, 4, 10).get(NDArrayIndex.all(), NDArrayIndex.all(),
        NDArrayIndex.interval(0, 2, 10));                              // (2, 4, 5), column stride 2
    assertMatches(everyOther, Nd4j.rand(t, 2, 5, 3), false, false, 1.0, 0.0);
  }

  private static void assertMatches(INDArray a, INDArray b, boolean transA, boolean transB, double alpha, double beta) {
    INDArray ac = transA ? MatMul.swapLastTwo(a.dup('c')).dup('c') : a.dup('c');
    INDArray bc = transB ? MatMul.swapLastTwo(b.dup('c')).dup('c') : b.dup('c');
    INDArray expected = Nd4j.matmul(ac, bc).muli(alpha);
    INDArray out = Nd4j.rand(a.dataType(), expected.shape());
    expected.addi(out.mul(beta));
    assertTrue(StridedGemm.supports(a, b, out));
    StridedGemm.gemm(a, b, out, transA, transB, alpha, beta);
    double tolerance = a.dataType() == DataType.FLOAT ? 1e-4 : 1e-12;
    assertEquals(0.0, expected.sub(out).amaxNumber().doubleValue(), tolerance);
  }
}
