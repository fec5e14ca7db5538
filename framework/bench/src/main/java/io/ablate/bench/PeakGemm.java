package io.ablate.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's best measured float32 GEMM throughput, the denominator of MFU. One size alone is not
 * a stable figure on a shared machine, so square products of several sizes are timed, each repeated
 * for a while, and the best single product of all is kept together with the size it came from.
 */
public final class PeakGemm {
  private static final int[] SIZES = {256, 512, 1024, 2048};

  /** @param gflops best GFLOP/s of one product; {@code size} its n (n×n by n×n); {@code products} timed in all */
  public record Result(double gflops, int size, int threads, int products) {}

  private PeakGemm() {}

  /** Best over {@link #SIZES}, about {@code seconds} in all, on {@code threads} BLAS threads. */
  public static Result measure(double seconds, int threads) {
    Result best = new Result(0, 0, threads, 0);
    int products = 0;
    for (int n : SIZES) {
      INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
      INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
      INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
      double flops = 2.0 * n * n * n;
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);   // warm-up: page faults, thread start
      long deadline = System.nanoTime() + (long) (seconds / SIZES.length * 1e9);
      int reps = 0;
      while (reps < 3 || System.nanoTime() < deadline) {
        long t0 = System.nanoTime();
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        double gflops = flops / ((System.nanoTime() - t0) / 1e9) / 1e9;
        if (gflops > best.gflops()) {
          best = new Result(gflops, n, threads, 0);
        }
        reps++;
      }
      products += reps;
      a.close();
      b.close();
      c.close();
    }
    return new Result(best.gflops(), best.size(), threads, products);
  }
}
