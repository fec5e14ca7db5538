package io.ablate.tensor.optim;

/** Global-norm gradient clipping over all parameters together. */
public final class GradClip {
  private GradClip() {}

  /**
   * Scales all gradients by {@code maxNorm / norm} when their joint L2 norm exceeds maxNorm.
   * Returns the norm before clipping (NaN or infinite when a gradient is; then nothing is scaled).
   */
  public static double clipGlobalNorm(ParameterSet params, double maxNorm) {
    double norm = params.gradNorm();
    if (Double.isFinite(norm) && norm > maxNorm) {
      params.grads().muli(maxNorm / (norm + 1e-6));
    }
    return norm;
  }
}
