package io.ablate.tensor.ops;

import io.ablate.tensor.GradMode;
import io.ablate.tensor.Memory;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.TensorException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Fused normalisation ops over the last axis (features). Each is one graph node with a
 * hand-derived backward, so a block pays for a few array passes instead of a chain of nodes.
 */
public final class Norms {
  private Norms() {}

  /**
   * LayerNorm: {@code (x − mean) / √(var + eps) · gain + bias} per position; gain and bias (D) may
   * be null.
   */
  public static Tensor layerNorm(Tensor x, Tensor gain, Tensor bias, double eps) {
    checkFeature("layer_norm", x, gain, bias);
    return FusedNorm.supports(x.value()) ? fused("layer_norm", x, gain, bias, eps, true)
        : layerNormByOps(x, gain, bias, eps);
  }

  /** {@link #layerNorm} as a chain of libnd4j calls: the fallback, and the reference in tests. */
  static Tensor layerNormByOps(Tensor x, Tensor gain, Tensor bias, double eps) {
    INDArray mean = RowSums.meanLast(x.value());                                 // (..., 1)
    INDArray xhat = Kernels.sub(x.value(), mean);                                          // centred, then normalised
    Memory.release(mean);
    INDArray squares = Kernels.mul(xhat, xhat);
    INDArray rstd = RowSums.meanLast(squares);
    Memory.release(squares);
    Transforms.pow(rstd.addi(eps), -0.5, false);                                  // (..., 1)
    Kernels.muli(xhat, rstd);
    INDArray out = affine(xhat, gain, bias);
    return Tensor.fromOp("layer_norm", out, (g, grads) -> {
      INDArray dxhat = gain == null ? g.dup() : Kernels.mul(g, gain.value());
      if (x.requiresGrad()) {
        grads.add(x, perPositionInputGrad(dxhat, xhat, rstd, true));
      }
      Memory.release(dxhat);
      affineGrads(g, xhat, gain, bias, grads);
    }, inputs(x, gain, bias)).saveForBackward(xhat).saveForBackward(rstd);
  }

  /** RMSNorm: {@code x / √(mean(x²) + eps) · gain}; gain (D) may be null. */
  public static Tensor rmsNorm(Tensor x, Tensor gain, double eps) {
    checkFeature("rms_norm", x, gain, null);
    return FusedNorm.supports(x.value()) ? fused("rms_norm", x, gain, null, eps, false) : rmsNormByOps(x, gain, eps);
  }

  /** {@link #rmsNorm} as a chain of libnd4j calls: the fallback, and the reference in tests. */
  static Tensor rmsNormByOps(Tensor x, Tensor gain, double eps) {
    INDArray squares = Kernels.mul(x.value(), x.value());
    INDArray rstd = RowSums.meanLast(squares);
    Memory.release(squares);
    Transforms.pow(rstd.addi(eps), -0.5, false);                                  // (..., 1)
    INDArray xhat = Kernels.mul(x.value(), rstd);
    INDArray out = affine(xhat, gain, null);
    return Tensor.fromOp("rms_norm", out, (g, grads) -> {
      INDArray dxhat = gain == null ? g.dup() : Kernels.mul(g, gain.value());
      if (x.requiresGrad()) {
        grads.add(x, perPositionInputGrad(dxhat, xhat, rstd, false));
      }
      Memory.release(dxhat);
      affineGrads(g, xhat, gain, null, grads);
    }, inputs(x, gain, null)).saveForBackward(xhat).saveForBackward(rstd);
  }

  /** One node whose forward and backward are {@link FusedNorm}'s row passes. */
  private static Tensor fused(String op, Tensor x, Tensor gain, Tensor bias, double eps, boolean centred) {
    INDArray gainValue = gain == null ? null : gain.value();
    if (!Tensor.recordedFor(x, gain, bias)) {                    // nothing to keep for backward
      INDArray out = FusedNorm.output(x.value(), gainValue, bias == null ? null : bias.value(), eps, centred);
      return Tensor.fromOp(op, out, (g, grads) -> {
        throw new IllegalStateException(op + " was not recorded");
      }, inputs(x, gain, bias));
    }
    FusedNorm.Forward f = FusedNorm.forward(x.value(), gainValue, bias == null ? null : bias.value(), eps, centred);
    Tensor result = Tensor.fromOp(op, f.out(), (g, grads) -> {
      FusedNorm.Grads d = FusedNorm.backward(g, f.saved(), gainValue, centred, x.requiresGrad(),
          gain != null && gain.requiresGrad(), bias != null && bias.requiresGrad());
      if (d.dx() != null) {
        grads.add(x, d.dx());
      }
      if (d.dgain() != null) {
        grads.add(gain, d.dgain());
      }
      if (d.dbias() != null) {
        grads.add(bias, d.dbias());
      }
    }, inputs(x, gain, bias));
    return result.saveForBackward(f.saved().xhat()).saveForBackward(f.saved().rstd());
  }

  /**
   * Input gradient of a norm over the last axis: {@code rstd · (dxhat − mean(dxhat) − xhat ·
   * mean(dxhat ⊙ xhat))} for LayerNorm, without the {@code mean(dxhat)} term for RMSNorm (which
   * does not centre).
   */
  private static INDArray perPositionInputGrad(INDArray dxhat, INDArray xhat, INDArray rstd, boolean centred) {
    INDArray prod = Kernels.mul(dxhat, xhat);
    INDArray m2 = RowSums.meanLast(prod);                                          // (..., 1)
    Memory.release(prod);
    INDArray dx = Kernels.rsubi(Kernels.mul(xhat, m2), dxhat);
    Memory.release(m2);
    if (centred) {
      INDArray m1 = RowSums.meanLast(dxhat);                                       // (..., 1)
      Kernels.subi(dx, m1);
      Memory.release(m1);
    }
    return Kernels.muli(dx, rstd);
  }

  /**
   * BatchNorm over every position of a batch, per feature. {@code x (..., C)} is flattened to
   * {@code (N, C)}; {@code rowWeights (N)} (1 = real token, 0 = padding; null = all real) decides
   * which rows contribute to the statistics. In training the batch statistics are used and the
   * running statistics updated in place; in evaluation the running statistics are used.
   */
  public static Tensor batchNorm(Tensor x, Tensor gain, Tensor bias, BatchNormState state, INDArray rowWeights,
      boolean training) {
    checkFeature("batch_norm", x, gain, bias);
    long c = x.size(-1);
    long n = x.value().length() / c;
    INDArray x2 = x.value().reshape('c', n, c);                                   // (N, C)
    if (!training) {
      INDArray rstd = Transforms.pow(state.runningVar().dup().addi(state.eps()), -0.5, false).reshape(1, c);
      INDArray xhat2 = x2.subRowVector(state.runningMean()).muliRowVector(rstd);
      return normalised("batch_norm", x, xhat2, gain, bias, (g2, xhat, grads) ->
          grads.add(x, g2.mul(gainOrOne(x, gain, c)).muliRowVector(rstd).reshape('c', x.shape()).dup()), rstd);
    }
    INDArray w = rowWeights == null ? Nd4j.ones(x.dataType(), n, 1)
        : rowWeights.castTo(x.dataType()).reshape('c', n, 1);                     // (N, 1)
    double count = w.sumNumber().doubleValue();
    if (count < 1) {
      throw new TensorException("batch_norm: no non-padding rows in a batch of shape " + TensorException.shape(x.shape()));
    }
    INDArray weighted = Kernels.mul(x2, w);                                       // (N, C)
    INDArray mean = RowSums.sumLeading(weighted, new long[] {1, c}).divi(count);  // (1, C)               // (1, C)
    INDArray xc = x2.subRowVector(mean);                                          // (N, C)
    INDArray squares = Kernels.mul(xc, xc).muliColumnVector(w);
    INDArray var = RowSums.sumLeading(squares, new long[] {1, c}).divi(count);   // (1, C), biased      // (1, C), biased
    state.update(mean, var, count);
    INDArray rstd = Transforms.pow(var.dup().addi(state.eps()), -0.5, false);    // (1, C)
    INDArray xhat2 = xc.muliRowVector(rstd);
    Memory.releaseAll(mean, var, weighted, squares);
    return normalised("batch_norm", x, xhat2, gain, bias, (g2, xhat, grads) -> {
      // dx_j = rstd · (dxhat_j − w_j/n · Σ_i dxhat_i − w_j/n · xhat_j · Σ_i dxhat_i ⊙ xhat_i)
      INDArray dxhat = Kernels.mul(g2, gainOrOne(x, gain, c));
      INDArray s1 = RowSums.sumLeading(dxhat, new long[] {1, c}).divi(count);                              // (1, C)
      INDArray prod = Kernels.mul(dxhat, xhat);
      INDArray s2 = RowSums.sumLeading(prod, new long[] {1, c}).divi(count);
      INDArray correction = xhat.mulRowVector(s2).addiRowVector(s1).muliColumnVector(w);
      INDArray dx = dxhat.subi(correction).muliRowVector(rstd);
      Memory.releaseAll(s1, prod, s2, correction);
      grads.add(x, dx.reshape('c', x.shape()).dup());
      Memory.release(dx);
    }, rstd, w);
  }

  /** Running statistics of a BatchNorm layer: updated in training, used in evaluation. */
  public static final class BatchNormState {
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final double momentum;
    private final double eps;

    public BatchNormState(long features, org.nd4j.linalg.api.buffer.DataType type, double momentum, double eps) {
      this.runningMean = Nd4j.zeros(type, 1, features);
      this.runningVar = Nd4j.ones(type, 1, features);
      this.momentum = momentum;
      this.eps = eps;
    }

    public INDArray runningMean() {
      return runningMean;
    }

    public INDArray runningVar() {
      return runningVar;
    }

    public double eps() {
      return eps;
    }

    /** Exponential moving averages, with the unbiased variance, as PyTorch does. */
    void update(INDArray mean, INDArray biasedVar, double count) {
      double unbias = count > 1 ? count / (count - 1) : 1.0;
      var blas = Nd4j.getBlasWrapper().level1();
      blas.axpy(mean.length(), momentum, mean, runningMean.muli(1 - momentum));            // (1−m)·rm + m·mean
      blas.axpy(biasedVar.length(), momentum * unbias, biasedVar, runningVar.muli(1 - momentum));
    }
  }

  @FunctionalInterface
  private interface InputGrad {
    void apply(INDArray g2, INDArray xhat2, io.ablate.tensor.Gradients grads);
  }

  /** Builds the output node of a (N, C)-flattened norm: affine forward, gain/bias grads backward. */
  private static Tensor normalised(String op, Tensor x, INDArray xhat2, Tensor gain, Tensor bias, InputGrad inputGrad,
      INDArray... saved) {
    long c = x.size(-1);
    INDArray out = affine(xhat2, gain, bias).reshape('c', x.shape());
    Tensor result = Tensor.fromOp(op, out, (g, grads) -> {
      INDArray g2 = g.reshape('c', g.length() / c, c);
      if (x.requiresGrad()) {
        inputGrad.apply(g2, xhat2, grads);
      }
      affineGrads(g2, xhat2, gain, bias, grads);
    }, inputs(x, gain, bias)).saveForBackward(xhat2);
    for (INDArray s : saved) {
      result.saveForBackward(s);
    }
    return result;
  }

  private static INDArray gainOrOne(Tensor x, Tensor gain, long c) {
    return gain == null ? Nd4j.ones(x.dataType(), 1, c) : gain.value().reshape(1, c);
  }

  private static INDArray affine(INDArray xhat, Tensor gain, Tensor bias) {
    INDArray out = gain == null ? xhat.dup() : Kernels.mul(xhat, gain.value());   // broadcast over the last axis
    if (bias != null) {
      Kernels.addi(out, bias.value());
    }
    return out;
  }

  /** d gain = Σ g ⊙ xhat, d bias = Σ g, summed over every position. */
  private static void affineGrads(INDArray g, INDArray xhat, Tensor gain, Tensor bias, io.ablate.tensor.Gradients grads) {
    if (gain != null && gain.requiresGrad()) {
      INDArray prod = Kernels.mul(g, xhat);
      grads.add(gain, RowSums.sumLeading(prod));
      Memory.release(prod);
    }
    if (bias != null && bias.requiresGrad()) {
      grads.add(bias, RowSums.sumLeading(g));
    }
  }

  private static Tensor[] inputs(Tensor x, Tensor gain, Tensor bias) {
    if (gain != null && bias != null) {
      return new Tensor[] {x, gain, bias};
    }
    if (gain != null) {
      return new Tensor[] {x, gain};
    }
    return bias != null ? new Tensor[] {x, bias} : new Tensor[] {x};
  }

  private static void checkFeature(String op, Tensor x, Tensor gain, Tensor bias) {
    long d = x.size(-1);
    if (gain != null && (gain.rank() != 1 || gain.size(0) != d)) {
      throw TensorException.forOp(op, "the gain must be 1-D of length " + d, x, gain);
    }
    if (bias != null && (bias.rank() != 1 || bias.size(0) != d)) {
      throw TensorException.forOp(op, "the bias must be 1-D of length " + d, x, bias);
    }
  }
}
