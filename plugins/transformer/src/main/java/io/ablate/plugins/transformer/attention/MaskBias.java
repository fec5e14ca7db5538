package io.ablate.plugins.transformer.attention;

import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Masks;
import io.ablate.tensor.ops.Kernels;
import io.ablate.tensor.ops.Softmax;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The additive form of an attention mask, (B|1, 1, Tq, Tk): 0 where a query may see a key,
 * {@link Softmax#MASKED} elsewhere. Built once and reused: every layer of a forward pass gets the
 * same mask object, and a causal mask without padding is the same for every batch, so building it
 * per layer per step (three allocations each) was pure overhead. One entry per thread, looked up
 * by identity of the padding array (never by value: comparing arrays costs what building does).
 */
final class MaskBias {
  private record Key(boolean causal, INDArray keyValid, int tq, int tk, DataType type) {
    boolean sameAs(Key other) {
      return other != null && causal == other.causal && keyValid == other.keyValid && tq == other.tq
          && tk == other.tk && type == other.type;
    }
  }

  private static final ThreadLocal<Key[]> KEYS = ThreadLocal.withInitial(() -> new Key[2]);
  private static final ThreadLocal<INDArray[]> VALUES = ThreadLocal.withInitial(() -> new INDArray[2]);
  /** The last {@link #plus}: its score bias, its mask bias and their sum. */
  private static final ThreadLocal<INDArray[]> SUMS = ThreadLocal.withInitial(() -> new INDArray[3]);

  private MaskBias() {}

  /**
   * @param extraKeep optional (…, Tq, Tk) 1/0 visibility combined with the mask (not cached), or null
   * @return the additive bias, or null when nothing is masked
   */
  static INDArray of(AttentionMask mask, INDArray extraKeep, int tq, int tk, DataType type) {
    if (extraKeep != null) {
      INDArray keep = ScaledDotProduct.keep(mask, extraKeep, tq, tk, type);
      return keep.rsub(1).muli(Softmax.MASKED);
    }
    if (!mask.causal() && mask.keyValid() == null) {
      return null;
    }
    // slot 0: causal without padding (the same for every batch); slot 1: the latest padded batch
    int slot = mask.keyValid() == null ? 0 : 1;
    Key key = new Key(mask.causal(), mask.keyValid(), tq, tk, type);
    Key[] keys = KEYS.get();
    INDArray[] values = VALUES.get();
    if (!key.sameAs(keys[slot]) || values[slot].wasClosed()) {
      INDArray keep = Masks.keep(mask, tq, tk, type);                      // (B|1, 1, Tq, Tk)
      values[slot] = keep.rsub(1).muli(Softmax.MASKED);
      keys[slot] = key;
    }
    return values[slot];
  }

  /**
   * A constant score bias (ALiBi's {@code (1, H, Tq, Tk)}) plus the mask's bias, or the score bias
   * alone without a mask: one additive bias for the fused attention op. The last sum is kept per
   * thread and reused while both parts are the same arrays (every layer of a step, and every step at
   * one length), so it is built once, not per layer.
   */
  static INDArray plus(INDArray scoreBias, INDArray maskBias) {
    if (maskBias == null) {
      return scoreBias;
    }
    INDArray[] last = SUMS.get();
    if (last[0] != scoreBias || last[1] != maskBias || last[2] == null || last[2].wasClosed()
        || scoreBias.wasClosed() || maskBias.wasClosed()) {
      last[0] = scoreBias;
      last[1] = maskBias;
      last[2] = Kernels.add(scoreBias.castTo(maskBias.dataType()), maskBias);     // (B|1, H, Tq, Tk)
    }
    return last[2];
  }

  /** Forgets this thread's masks (tests; the arrays go to the garbage collector). */
  static void clear() {
    Arrays.fill(KEYS.get(), null);
    Arrays.fill(VALUES.get(), null);
    Arrays.fill(SUMS.get(), null);
  }
}
