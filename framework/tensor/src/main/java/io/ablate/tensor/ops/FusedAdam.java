package io.ablate.tensor.ops;

import io.ablate.tensor.Lever;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One Adam or AdamW step over a model's flat float32 buffers in a single pass, split over the run's
 * threads: weights, gradients, both moments and the decay mask are read once and weights and moments
 * written once, where the libnd4j chain made about twelve passes (scale, axpy, square, sqrt, divide…).
 * The arithmetic is the chain's (PyTorch's): {@code w −= lr·λ·mask·w} first for AdamW (for Adam,
 * {@code g + λ·mask·w} replaces g), then {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²},
 * {@code w −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps)}. Off with {@link Lever#FUSED_ADAM}.
 */
public final class FusedAdam {
  private static final int CHUNK = 8192;
  /** Heap scratch per thread: weights, gradients, first and second moments, decay mask. */
  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[5][CHUNK]);

  private FusedAdam() {}

  /** The hyperparameters of one step; {@code bias1} and {@code bias2} are {@code 1 − βᵗ}. */
  public record Step(float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
      float bias1, float bias2) {}

  /** Whether this kernel can update these buffers: float32, contiguous, on the CPU backend. */
  public static boolean supports(INDArray... buffers) {
    if (!Lever.FUSED_ADAM.on()) {
      return false;
    }
    for (INDArray b : buffers) {
      if (b.dataType() != DataType.FLOAT || !Gelu.supports(b) || !DenseCopy.isDense(b)) {
        return false;
      }
    }
    return true;
  }

  /** Updates w, m and v in place; g and mask are read only. Call only when {@link #supports} holds. */
  public static void step(INDArray w, INDArray g, INDArray m, INDArray v, INDArray mask, Step s) {
    int n = (int) w.length();
    RowParallel.run(n, 1, (part, from, to) -> range(w, g, m, v, mask, s, from, to));
  }

  private static void range(INDArray w, INDArray g, INDArray m, INDArray v, INDArray mask, Step s, int start,
      int end) {
    float[][] a = FLOATS.get();
    FloatPointer pw = pointer(w);
    FloatPointer pg = pointer(g);
    FloatPointer pm = pointer(m);
    FloatPointer pv = pointer(v);
    FloatPointer pk = pointer(mask);
    boolean decay = s.weightDecay() != 0;
    for (int from = start; from < end; from += CHUNK) {
      int len = Math.min(CHUNK, end - from);
      pw.position(from).get(a[0], 0, len);
      pg.position(from).get(a[1], 0, len);
      pm.position(from).get(a[2], 0, len);
      pv.position(from).get(a[3], 0, len);
      if (decay) {
        pk.position(from).get(a[4], 0, len);
        if (s.decoupled()) {
          decayWeights(a[0], a[4], s.lr() * s.weightDecay(), len);
        } else {
          addDecayToGradient(a[1], a[0], a[4], s.weightDecay(), len);
        }
      }
      moments(a[1], a[2], a[3], s.beta1(), s.beta2(), len);
      update(a[0], a[2], a[3], s.lr() / s.bias1(), (float) Math.sqrt(s.bias2()), s.eps(), len);
      pw.position(from).put(a[0], 0, len);
      pm.position(from).put(a[2], 0, len);
      pv.position(from).put(a[3], 0, len);
    }
  }

  // Small loops over plain arrays: the shape in which C2 (JDK 17) vectorises.

  /** w −= (lr·λ)·mask·w. */
  private static void decayWeights(float[] w, float[] mask, float lrDecay, int len) {
    for (int i = 0; i < len; i++) {
      w[i] -= lrDecay * (mask[i] * w[i]);
    }
  }

  /** g += λ·mask·w (Adam with L2 decay; the gradient buffer itself is not written back). */
  private static void addDecayToGradient(float[] g, float[] w, float[] mask, float decay, int len) {
    for (int i = 0; i < len; i++) {
      g[i] += decay * (mask[i] * w[i]);
    }
  }

  private static void moments(float[] g, float[] m, float[] v, float beta1, float beta2, int len) {
    float c1 = 1 - beta1;
    float c2 = 1 - beta2;
    for (int i = 0; i < len; i++) {
      m[i] = beta1 * m[i] + c1 * g[i];
    }
    for (int i = 0; i < len; i++) {
      v[i] = beta2 * v[i] + c2 * (g[i] * g[i]);
    }
  }

  /** w −= step · m / (√v / √(1 − β2ᵗ) + eps). */
  private static void update(float[] w, float[] m, float[] v, float step, float sqrtBias2, float eps, int len) {
    for (int i = 0; i < len; i++) {
      w[i] -= step * m[i] / ((float) Math.sqrt(v[i]) / sqrtBias2 + eps);
    }
  }

  private static FloatPointer pointer(INDArray x) {
    return new FloatPointer(x.data().addressPointer());
  }
}
