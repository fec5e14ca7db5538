package io.ablate.tensor;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reuses the native buffers of released arrays for new arrays of the same data type and length,
 * per thread. A training step allocates the same shapes every step; without reuse each large
 * intermediate (attention scores, FFN activations: 8 MB each in the small benchmark model) is a
 * fresh allocation whose pages fault in on first touch, and JFR put 15–23 % of that model's step in
 * {@code allocateDataBuffer}.
 *
 * <p>Only buffers that the pool handed out come back to it (arrays made elsewhere are freed as
 * before), so the pool never holds more than the most this thread had out at once; arrays of other
 * origins that a step releases would otherwise pile up in it step after step.
 *
 * <p>A released array gives its buffer to the pool and is left holding a closed placeholder, so it
 * reads as closed ({@link INDArray#wasClosed()}): a second release is a no-op and ND4J refuses ops
 * on it, as after a real free. At most {@link #capacityBytes()} per thread wait in the pool; beyond
 * that buffers are freed. {@link #clear()} frees this thread's pool (the end of a run).
 * {@code -Dablate.pool=false} turns reuse off (every release frees), for before/after measurements.
 */
public final class BufferPool {
  private static final boolean ENABLED = !"false".equals(System.getProperty("ablate.pool"));
  private static final long CAPACITY = Long.getLong("ablate.poolMb", 512) << 20;
  /** Arrays smaller than this come cheaply from malloc's bins; pooling them only adds lookups. */
  private static final long MIN_LENGTH = 64;
  private static final ThreadLocal<Free> FREE = ThreadLocal.withInitial(Free::new);
  private static final Map<DataType, DataBuffer> CLOSED = new EnumMap<>(DataType.class);

  private BufferPool() {}

  /** A c-ordered array of this shape, its contents undefined: a pooled buffer when one fits. */
  public static INDArray uninitialized(DataType type, long... shape) {
    long length = 1;
    for (long s : shape) {
      length *= s;
    }
    if (ENABLED && length >= MIN_LENGTH) {
      Free free = FREE.get();
      DataBuffer buffer = free.take(type, length);
      INDArray array = buffer != null
          ? Nd4j.create(buffer, shape, Nd4j.getStrides(shape, 'c'), 0, 'c', type)
          : Nd4j.createUninitialized(type, shape);
      free.issued.put(array.data().address(), new WeakReference<>(array));
      return array;
    }
    return Nd4j.createUninitialized(type, shape);
  }

  /**
   * An array of x's shape whose elements lie in memory in x's axis order, its contents undefined:
   * for a permuted view of a dense array, the same permutation of a fresh dense array; otherwise a
   * c-ordered one. Releasing the returned array returns its buffer to the pool.
   */
  public static INDArray uninitializedLike(INDArray x) {
    int[] order = Layout.storageOrder(x);
    if (order == null) {
      return uninitialized(x.dataType(), x.shape());
    }
    long[] storage = new long[order.length];
    int[] inverse = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      storage[i] = x.size(order[i]);
      inverse[order[i]] = i;
    }
    INDArray dense = uninitialized(x.dataType(), storage);
    INDArray like = dense.permute(inverse);
    transfer(dense, like);
    return like;
  }

  /**
   * Takes a dead array's buffer back when this thread's pool handed it out to exactly this array,
   * and marks the array closed. An array that merely shares such a buffer (ND4J's reshape can return
   * a non-view array over the same buffer) is marked closed without touching the buffer, which its
   * owner still uses or the pool holds. False when the pool has nothing to do with the buffer: the
   * caller frees it.
   */
  static boolean release(INDArray array) {
    if (!ENABLED || array.isEmpty() || array.data().wasClosed()) {
      return false;
    }
    DataBuffer buffer = array.data();
    DataBuffer base = buffer.originalDataBuffer() != null ? buffer.originalDataBuffer() : buffer;
    Free free = FREE.get();
    long address = base.address();
    WeakReference<INDArray> issuedTo = free.issued.get(address);
    INDArray owner = issuedTo == null ? null : issuedTo.get();
    if (owner == array && base == buffer && buffer.length() == array.length()) {
      free.issued.remove(address);
      array.setData(closedPlaceholder(array.dataType()));
      free.put(buffer);
      return true;
    }
    if (owner != null || free.pooled.contains(address)) {
      array.setData(closedPlaceholder(array.dataType()));
      return true;
    }
    return false;
  }

  /**
   * Makes {@code to}, an array over the same buffer object, the owner of a buffer this thread's pool
   * handed to {@code from}: releasing {@code to} then returns it. Nothing happens for other buffers.
   */
  static void transfer(INDArray from, INDArray to) {
    if (!ENABLED || from.data() != to.data() || from.isEmpty()) {
      return;
    }
    Free free = FREE.get();
    long address = from.data().address();
    WeakReference<INDArray> issuedTo = free.issued.get(address);
    if (issuedTo != null && issuedTo.get() == from) {
      free.issued.put(address, new WeakReference<>(to));
    }
  }

  /** Frees every buffer waiting in this thread's pool. */
  public static void clear() {
    FREE.get().clear();
  }

  /** Bytes waiting in this thread's pool. */
  public static long pooledBytes() {
    return FREE.get().bytes;
  }

  public static long capacityBytes() {
    return CAPACITY;
  }

  public static boolean enabled() {
    return ENABLED;
  }

  private static synchronized DataBuffer closedPlaceholder(DataType type) {
    return CLOSED.computeIfAbsent(type, t -> {
      DataBuffer placeholder = Nd4j.createBuffer(t, 1, false);
      placeholder.close();
      return placeholder;
    });
  }

  private record Key(DataType type, long length) {}

  /** One thread's free buffers by type and length. */
  private static final class Free {
    private final Map<Key, ArrayDeque<DataBuffer>> byKey = new HashMap<>();
    /** Buffers handed out and not yet returned, by address, with the array they went to. */
    private final Map<Long, WeakReference<INDArray>> issued = new HashMap<>();
    /** Addresses of the buffers waiting in {@link #byKey}. */
    private final Set<Long> pooled = new HashSet<>();
    private long bytes;

    DataBuffer take(DataType type, long length) {
      ArrayDeque<DataBuffer> free = byKey.get(new Key(type, length));
      DataBuffer buffer = free == null ? null : free.pollLast();
      if (buffer != null) {
        bytes -= size(buffer);
        pooled.remove(buffer.address());
      }
      return buffer;
    }

    void put(DataBuffer buffer) {
      long size = size(buffer);
      if (bytes + size > CAPACITY) {
        buffer.close();
        return;
      }
      byKey.computeIfAbsent(new Key(buffer.dataType(), buffer.length()), k -> new ArrayDeque<>()).addLast(buffer);
      pooled.add(buffer.address());
      bytes += size;
    }

    void clear() {
      byKey.values().forEach(free -> free.forEach(DataBuffer::close));
      byKey.clear();
      issued.clear();
      pooled.clear();
      bytes = 0;
    }

    private static long size(DataBuffer buffer) {
      return buffer.length() * buffer.getElementSize();
    }
  }
}
