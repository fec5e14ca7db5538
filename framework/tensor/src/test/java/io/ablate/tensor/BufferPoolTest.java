package io.ablate.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Released buffers are reused for the same type and length, and a released array stays dead. */
class BufferPoolTest {

  @AfterEach
  void emptyPool() {
    BufferPool.clear();
  }

  @Test
  void aReleasedBufferServesTheNextArrayOfItsTypeAndLength() {
    INDArray first = BufferPool.uninitialized(DataType.FLOAT, 16, 32);
    DataBuffer buffer = first.data();
    Memory.release(first);
    assertEquals(16 * 32 * 4, BufferPool.pooledBytes());

    INDArray other = BufferPool.uninitialized(DataType.DOUBLE, 16, 32);       // another type: fresh
    assertNotSame(buffer, other.data());
    INDArray second = BufferPool.uninitialized(DataType.FLOAT, 32, 16);       // same length, new shape
    assertSame(buffer, second.data());
    assertArrayEquals(new long[] {32, 16}, second.shape());
    assertEquals(0, BufferPool.pooledBytes());

    second.assign(2.5f);                                                      // a working, owning array
    assertEquals(2.5f * 512, second.sumNumber().floatValue(), 1e-3);
    assertFalse(second.isView());
    assertTrue(second.closeable());
    Memory.releaseAll(second, other);
  }

  @Test
  void aReleasedArrayReadsClosedRefusesOpsAndIsNotPooledTwice() {
    INDArray a = BufferPool.uninitialized(DataType.FLOAT, 100);
    a.assign(1);
    Memory.release(a);
    assertTrue(a.wasClosed());
    assertThrows(IllegalStateException.class, () -> a.addi(1));
    Memory.release(a);                                                        // a second release is a no-op
    INDArray b = BufferPool.uninitialized(DataType.FLOAT, 100);
    INDArray c = BufferPool.uninitialized(DataType.FLOAT, 100);
    assertNotSame(b.data(), c.data());
    Memory.releaseAll(b, c);
  }

  @Test
  void viewsSmallArraysAndArraysMadeElsewhereAreNotPooled() {
    INDArray base = BufferPool.uninitialized(DataType.FLOAT, 8, 8);
    Memory.release(base.getRow(1));                                           // a view: left alone
    assertFalse(base.wasClosed());
    Memory.release(BufferPool.uninitialized(DataType.FLOAT, 2, 2));           // below the pooling size
    INDArray elsewhere = Nd4j.rand(DataType.FLOAT, 8, 8);
    Memory.release(elsewhere);                                                // not the pool's: freed
    assertTrue(elsewhere.wasClosed());
    assertEquals(0, BufferPool.pooledBytes());
    Memory.release(base);
    assertEquals(64 * 4, BufferPool.pooledBytes());
  }

  @Test
  void trainingStepsReuseTheirBuffersAndClearEmptiesThePool() {
    Tensor w = Tensor.parameter("w", Nd4j.rand(DataType.FLOAT, 64, 64));
    INDArray x = Nd4j.rand(DataType.FLOAT, 32, 64);
    double[] losses = new double[3];
    long pooledAfterSecond = 0;
    for (int step = 0; step < 3; step++) {
      Tensor loss = Tensor.constant(x).matmul(w).gelu().matmul(w).tanh().sum();
      loss.backward();
      losses[step] = loss.item();
      if (step == 1) {                 // step 0 keeps its first gradient of w as w's gradient
        pooledAfterSecond = BufferPool.pooledBytes();
      }
    }
    assertEquals(losses[0], losses[2], 0);                                    // same inputs: same loss
    assertTrue(pooledAfterSecond > 0, "a step's intermediates wait in the pool");
    assertEquals(pooledAfterSecond, BufferPool.pooledBytes(), "later steps take and return the same buffers");
    BufferPool.clear();
    assertEquals(0, BufferPool.pooledBytes());
  }
}
