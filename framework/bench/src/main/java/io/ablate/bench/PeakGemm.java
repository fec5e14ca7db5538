package io.ablate.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Measures the machine's best float32 GEMM throughput, the denominator of MFU. */
public final class PeakGemm {
  private PeakGemm() {}

  /** Best GFLOP/s over repeated 1024³ products within about {@code seconds}. */
  public static double measureGflops(double seconds) {
    int n = 1024;
    INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
    double flops = 2.0 * n * n * n;
    Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);   // warm-up
    double best = 0;
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    int reps = 0;
    while (reps < 3 || System.nanoTime() < deadline) {
      long t0 = System.nanoTime();
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      best = Math.max(best, flops / ((System.nanoTime() - t0) / 1e9) / 1e9);
      reps++;
    }
    a.close();
    b.close();
    c.close();
    return best;
  }
}
