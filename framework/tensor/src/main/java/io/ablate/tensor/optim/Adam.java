package io.ablate.tensor.optim;

import io.ablate.tensor.ops.FusedAdam;
import io.ablate.tensor.ops.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam, and AdamW when weight decay is decoupled (Loshchilov &amp; Hutter 2019), with PyTorch's
 * arithmetic: {@code w −= lr·m̂/(√v̂ + eps)}, and for AdamW {@code w −= lr·λ·w} first. Weight decay
 * touches only the parameters in the set's decay mask (not biases or norm gains). In float32 on the
 * CPU the whole model is updated in one pass ({@link FusedAdam}); otherwise with about ten native
 * calls over the flat buffers. Neither allocates per step.
 */
public final class Adam implements Optimizer {
  private final ParameterSet params;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final INDArray m;
  private final INDArray v;
  /** A full-size buffer the libnd4j chain works in; made on the chain's first step (the fused step needs none). */
  private INDArray scratch;
  private long t;

  public Adam(ParameterSet params, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
    this.params = params.flatten();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    this.m = Nd4j.zerosLike(params.values());
    this.v = Nd4j.zerosLike(params.values());
  }

  /** AdamW with PyTorch's defaults for betas and eps. */
  public static Adam adamW(ParameterSet params, double weightDecay) {
    return new Adam(params, 0.9, 0.999, 1e-8, weightDecay, true);
  }

  @Override
  public void step(double lr) {
    t++;
    INDArray w = params.values();
    INDArray g = params.grads();
    if (FusedAdam.supports(w, g, m, v, params.decayMask())) {
      FusedAdam.step(w, g, m, v, params.decayMask(), new FusedAdam.Step((float) lr, (float) beta1, (float) beta2,
          (float) eps, (float) weightDecay, decoupled, (float) (1 - Math.pow(beta1, t)),
          (float) (1 - Math.pow(beta2, t))));
      return;
    }
    if (scratch == null) {
      scratch = Nd4j.zerosLike(w);
    }
    long n = w.length();
    var blas = Nd4j.getBlasWrapper().level1();
    if (weightDecay != 0) {
      Kernels.mulInto(w, params.decayMask(), scratch);    // scratch = mask·w
      if (decoupled) {
        blas.axpy(n, -lr * weightDecay, scratch, w);           // w −= lr·λ·mask·w
      } else {
        g = Kernels.addi(scratch.muli(weightDecay), g);                 // L2: g + λ·mask·w, in scratch (grads stay as computed)
      }
    }
    m.muli(beta1);
    blas.axpy(n, 1 - beta1, g, m);                             // m = β1·m + (1−β1)·g
    Kernels.mulInto(g, g, scratch);                       // g² (g may be scratch itself: element-wise, safe)
    v.muli(beta2);
    blas.axpy(n, 1 - beta2, scratch, v);                       // v = β2·v + (1−β2)·g²
    double bias1 = 1 - Math.pow(beta1, t);
    double bias2 = 1 - Math.pow(beta2, t);
    Nd4j.exec(new Sqrt(v, scratch));
    scratch.divi(Math.sqrt(bias2)).addi(eps);                  // √v̂ + eps
    Kernels.divInto(m, scratch, scratch);                 // m / (√v̂ + eps)
    blas.axpy(n, -lr / bias1, scratch, w);                     // w −= lr·m̂/(√v̂ + eps)
  }

  @Override
  public ParameterSet parameters() {
    return params;
  }
}
