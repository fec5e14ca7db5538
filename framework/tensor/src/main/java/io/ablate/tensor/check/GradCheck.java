package io.ablate.tensor.check;

import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference gradient check in double precision. The function's output is reduced to a
 * scalar with a fixed random projection {@code L = Σ out ⊙ R}, so every output element's gradient
 * path is exercised with a distinct weight; each input element is then perturbed by ±eps and the
 * central difference compared with the analytic gradient from {@link Tensor#backward()}.
 */
public final class GradCheck {
  private final double eps;
  private final double relativeTolerance;
  private final double absoluteTolerance;

  public GradCheck(double eps, double relativeTolerance, double absoluteTolerance) {
    this.eps = eps;
    this.relativeTolerance = relativeTolerance;
    this.absoluteTolerance = absoluteTolerance;
  }

  /** Defaults that suit double precision: eps 1e-6, relative 1e-5, absolute 1e-8. */
  public static GradCheck standard() {
    return new GradCheck(1e-6, 1e-5, 1e-8);
  }

  /** One element where the analytic and numeric gradients disagree. */
  public record Mismatch(int input, long index, double analytic, double numeric) {
    @Override
    public String toString() {
      return "input " + input + " element " + index + ": analytic " + analytic + " vs numeric " + numeric;
    }
  }

  /**
   * Checks the gradients of {@code f} with respect to every input (all must be DOUBLE) and returns
   * the mismatches, empty when all agree.
   */
  public List<Mismatch> check(Function<Tensor[], Tensor> f, INDArray... inputs) {
    for (INDArray input : inputs) {
      if (input.dataType() != DataType.DOUBLE) {
        throw new IllegalArgumentException("gradient checks need DOUBLE inputs, got " + input.dataType());
      }
    }
    Tensor[] variables = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      variables[i] = Tensor.variable(inputs[i].dup());
    }
    Tensor out = f.apply(variables);
    INDArray projection;
    try (Rng rng = new Rng(42)) {
      projection = rng.normal(DataType.DOUBLE, 0, 1, out.shape());
    }
    out.mul(Tensor.constant(projection)).sum().backward();

    List<Mismatch> mismatches = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      INDArray analytic = variables[i].gradOrNull();
      INDArray flat = inputs[i].dup('c').reshape(inputs[i].length());
      for (long j = 0; j < flat.length(); j++) {
        double original = flat.getDouble(j);
        flat.putScalar(j, original + eps);
        double plus = projectedLoss(f, inputs, i, flat, projection);
        flat.putScalar(j, original - eps);
        double minus = projectedLoss(f, inputs, i, flat, projection);
        flat.putScalar(j, original);
        double numeric = (plus - minus) / (2 * eps);
        double a = analytic == null ? 0.0 : analytic.dup('c').reshape(analytic.length()).getDouble(j);
        if (Math.abs(a - numeric) > absoluteTolerance + relativeTolerance * Math.max(Math.abs(a), Math.abs(numeric))) {
          mismatches.add(new Mismatch(i, j, a, numeric));
        }
      }
    }
    return mismatches;
  }

  private double projectedLoss(Function<Tensor[], Tensor> f, INDArray[] inputs, int perturbed, INDArray flat,
      INDArray projection) {
    try (var ignored = GradMode.noGrad()) {
      Tensor[] constants = new Tensor[inputs.length];
      for (int k = 0; k < inputs.length; k++) {
        INDArray v = k == perturbed ? flat.reshape('c', inputs[k].shape()).dup() : inputs[k].dup();
        constants[k] = Tensor.constant(v);
      }
      return f.apply(constants).value().mul(projection).sumNumber().doubleValue();
    }
  }

  /** Convenience for tests: random DOUBLE normal(0, 1) values from a seed. */
  public static INDArray randn(long seed, long... shape) {
    try (Rng rng = new Rng(seed)) {
      return rng.normal(DataType.DOUBLE, 0, 1, shape);
    }
  }

  /** Random DOUBLE values uniform in [low, high). */
  public static INDArray uniform(long seed, double low, double high, long... shape) {
    try (Rng rng = new Rng(seed)) {
      return rng.uniform(DataType.DOUBLE, low, high, shape);
    }
  }

  static {
    Nd4j.getRandom();   // initialise the backend before first use in a check
  }
}
