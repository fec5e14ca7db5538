package io.ablate.tensor.optim;

/** Updates the parameters in place from their accumulated gradients. */
public interface Optimizer {
  /** One update with the given learning rate; gradients are left for the caller to zero. */
  void step(double learningRate);

  ParameterSet parameters();
}
