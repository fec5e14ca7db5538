package io.ablate.tensor.ops;

import io.ablate.tensor.BufferPool;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact (erf) GELU and its derivative as one Java loop each, on the CPU backend.
 *
 * <p>libnd4j's {@code erf} and {@code exp} are scalar in the generic build: about 7 and 2 ns per
 * element, and GELU forward and backward were a quarter of the tiny benchmark model's training step
 * (measured with JFR). Here erf is a rational function with polynomials only, so the JIT vectorises
 * the loop (0.6 ns per element measured): {@code erf(u) ≈ u·P(u²)/Q(u²)} for |u| ≤ 4 and ±1
 * beyond, with P of degree 6 and Q of degree 5 fitted by {@code scripts/fit_erf.py}: within 1.9e-9
 * of erf and 4.2e-8 of its derivative, Q ≥ 1 (no poles), monotone. The derivative used backward is
 * that of this function, so gradients are exact for the function computed.
 */
final class Gelu {
  private static final double[] P = {1.1283791792350615, 0.18471941821994656, 0.054366728153072821,
      0.0038443978735782152, 0.00038415494920880411, 4.8182145159455828e-06, -1.385812831011673e-08};
  private static final double[] Q = {1, 0.49703684999435538, 0.11385926119276568, 0.015468002405207328,
      0.0013125778124604009, 6.4371183334197213e-05};
  private static final double CLAMP = 4;
  private static final double SQRT_HALF = Math.sqrt(0.5);

  /** Elements per chunk: four float arrays of it (128 KB) stay in L2 through the three backward loops. */
  private static final int CHUNK = 8192;
  /** Heap scratch per thread: the chunk in, the upstream gradient and two intermediates. */
  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

  private Gelu() {}

  /** Whether these kernels handle x (CPU backend, float32 or float64, fits a Java array). */
  static boolean supports(INDArray x) {
    return CPU && (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE)
        && x.length() < Integer.MAX_VALUE - 8;
  }

  /** x·Φ(x), Φ(x) = ½(1 + erf(x/√2)). */
  static INDArray forward(INDArray x) {
    return apply(x, null);
  }

  /** g ⊙ (Φ(x) + x·φ(x)), φ the derivative of Φ as computed here. */
  static INDArray backward(INDArray x, INDArray g) {
    return apply(x, g);
  }

  private static INDArray apply(INDArray x, INDArray g) {
    int n = (int) x.length();
    INDArray out = BufferPool.uninitialized(x.dataType(), x.shape());
    INDArray xd = DenseCopy.of(x);
    INDArray gd = g == null ? null : DenseCopy.of(g);
    if (x.dataType() == DataType.FLOAT) {
      RowParallel.run(n, 1, (part, from, to) -> applyFloat(xd, gd, out, from, to));
    } else {
      double[] a = new double[n];
      new DoublePointer(xd.data().addressPointer()).get(a, 0, n);
      if (gd == null) {
        forward(a, a, n);
      } else {
        double[] b = new double[n];
        new DoublePointer(gd.data().addressPointer()).get(b, 0, n);
        backward(a, b, a, n);
      }
      new DoublePointer(out.data().addressPointer()).put(a, 0, n);
    }
    DenseCopy.release(xd, x);
    DenseCopy.release(gd, g);
    return out;
  }

  /** Elements {@code [start, end)} of out, in chunks that stay in cache through every loop. */
  private static void applyFloat(INDArray x, INDArray g, INDArray out, int start, int end) {
    float[][] s = FLOATS.get();
    FloatPointer px = new FloatPointer(x.data().addressPointer());
    FloatPointer pg = g == null ? null : new FloatPointer(g.data().addressPointer());
    FloatPointer po = new FloatPointer(out.data().addressPointer());
    for (int from = start; from < end; from += CHUNK) {
      int len = Math.min(CHUNK, end - from);
      px.position(from).get(s[0], 0, len);
      if (pg == null) {
        forward(s[0], s[0], len);
      } else {
        pg.position(from).get(s[1], 0, len);
        backward(s[0], s[1], s[0], len, s[2], s[3]);
      }
      po.position(from).put(s[0], 0, len);
    }
  }

  // The float loops below are written out (not shared with the double ones) so that each stays a
  // small counted loop over one primitive type, which is what the JIT vectorises.

  private static void forward(float[] x, float[] out, int n) {
    float p0 = (float) P[0], p1 = (float) P[1], p2 = (float) P[2], p3 = (float) P[3], p4 = (float) P[4];
    float p5 = (float) P[5], p6 = (float) P[6];
    float q1 = (float) Q[1], q2 = (float) Q[2], q3 = (float) Q[3], q4 = (float) Q[4], q5 = (float) Q[5];
    float c = (float) CLAMP;
    float h = (float) SQRT_HALF;
    for (int i = 0; i < n; i++) {
      float v = x[i];
      float u = Math.max(-c, Math.min(c, v * h));
      float z = u * u;
      float num = u * (p0 + z * (p1 + z * (p2 + z * (p3 + z * (p4 + z * (p5 + z * p6))))));
      float den = 1f + z * (q1 + z * (q2 + z * (q3 + z * (q4 + z * q5))));
      out[i] = 0.5f * v * (1f + num / den);
    }
  }

  /**
   * Three loops, not one: C2 (JDK 17) unrolls, and so vectorises, only a small loop body, and the
   * whole derivative in one body ran unvectorised at 13 ns per element against 1.7 ns split (measured).
   * With ρ = P/Q: erf = u·ρ and erf' = ρ + 2z·(P' − ρ·Q')/Q. Outside the clamp this keeps the
   * derivative at |u| = 4 (1.7e-7) instead of 0: negligible in float32; the float64 path is exact.
   */
  private static void backward(float[] x, float[] g, float[] out, int n, float[] rho, float[] w) {
    float p0 = (float) P[0], p1 = (float) P[1], p2 = (float) P[2], p3 = (float) P[3], p4 = (float) P[4];
    float p5 = (float) P[5], p6 = (float) P[6];
    float q1 = (float) Q[1], q2 = (float) Q[2], q3 = (float) Q[3], q4 = (float) Q[4], q5 = (float) Q[5];
    float dp2 = 2 * p2, dp3 = 3 * p3, dp4 = 4 * p4, dp5 = 5 * p5, dp6 = 6 * p6;
    float dq2 = 2 * q2, dq3 = 3 * q3, dq4 = 4 * q4, dq5 = 5 * q5;
    float c = (float) CLAMP;
    float h = (float) SQRT_HALF;
    for (int i = 0; i < n; i++) {
      float u = Math.max(-c, Math.min(c, x[i] * h));
      float z = u * u;
      rho[i] = (p0 + z * (p1 + z * (p2 + z * (p3 + z * (p4 + z * (p5 + z * p6))))))
          / (1f + z * (q1 + z * (q2 + z * (q3 + z * (q4 + z * q5)))));
    }
    for (int i = 0; i < n; i++) {
      float u = Math.max(-c, Math.min(c, x[i] * h));
      float z = u * u;
      float dp = p1 + z * (dp2 + z * (dp3 + z * (dp4 + z * (dp5 + z * dp6))));
      float dq = q1 + z * (dq2 + z * (dq3 + z * (dq4 + z * dq5)));
      float q = 1f + z * (q1 + z * (q2 + z * (q3 + z * (q4 + z * q5))));
      w[i] = (dp - rho[i] * dq) / q;
    }
    for (int i = 0; i < n; i++) {
      float v = x[i];
      float u = Math.max(-c, Math.min(c, v * h));
      float derf = rho[i] + 2 * u * u * w[i];
      out[i] = g[i] * (0.5f * (1f + u * rho[i]) + 0.5f * v * h * derf);
    }
  }

  private static void forward(double[] x, double[] out, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[i];
      double u = Math.max(-CLAMP, Math.min(CLAMP, v * SQRT_HALF));
      double z = u * u;
      out[i] = 0.5 * v * (1 + u * poly(P, z) / poly(Q, z));
    }
  }

  private static void backward(double[] x, double[] g, double[] out, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[i];
      double t = v * SQRT_HALF;
      double u = Math.max(-CLAMP, Math.min(CLAMP, t));
      double z = u * u;
      double pz = poly(P, z);
      double qz = poly(Q, z);
      double derf = u == t ? ((pz + 2 * z * polyDerivative(P, z)) * qz - 2 * z * pz * polyDerivative(Q, z)) / (qz * qz) : 0;
      out[i] = g[i] * (0.5 * (1 + u * pz / qz) + 0.5 * v * SQRT_HALF * derf);
    }
  }

  private static double poly(double[] c, double z) {
    double r = 0;
    for (int k = c.length - 1; k >= 0; k--) {
      r = r * z + c[k];
    }
    return r;
  }

  private static double polyDerivative(double[] c, double z) {
    double r = 0;
    for (int k = c.length - 1; k >= 1; k--) {
      r = r * z + k * c[k];
    }
    return r;
  }

  private static final boolean CPU = !"false".equals(System.getProperty("ablate.heapKernels"))
      && "CpuBackend".equals(Nd4j.getBackend().getClass().getSimpleName());
}
