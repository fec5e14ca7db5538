package io.ablate.tensor.optim;

import io.ablate.tensor.ops.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SGD with (heavy-ball) momentum and optional L2 weight decay, as PyTorch's SGD:
 * {@code v = μ·v + (g + λ·w); w −= lr·v}.
 */
public final class Sgd implements Optimizer {
  private final ParameterSet params;
  private final double momentum;
  private final double weightDecay;
  private final INDArray velocity;
  private final INDArray scratch;
  private final INDArray decayed;
  private boolean first = true;

  public Sgd(ParameterSet params, double momentum, double weightDecay) {
    this.params = params.flatten();
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.velocity = Nd4j.zerosLike(params.values());
    this.scratch = Nd4j.zerosLike(params.values());
    this.decayed = Nd4j.zerosLike(params.values());
  }

  @Override
  public void step(double lr) {
    INDArray w = params.values();
    INDArray d = scratch.assign(params.grads());                 // d = g
    if (weightDecay != 0) {
      Kernels.mulInto(w, params.decayMask(), decayed);      // mask·w, no allocation
      Kernels.addi(d, decayed.muli(weightDecay));                         // d += λ·mask·w
    }
    if (momentum != 0) {
      if (first) {
        velocity.assign(d);
      } else {
        Kernels.addi(velocity.muli(momentum), d);
      }
      d = velocity;
    }
    first = false;
    Nd4j.getBlasWrapper().level1().axpy(w.length(), -lr, d, w);  // w −= lr·d
  }

  @Override
  public ParameterSet parameters() {
    return params;
  }
}
