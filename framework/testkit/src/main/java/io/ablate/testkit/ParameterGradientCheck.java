package io.ablate.testkit;

import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.ParameterSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference check of the gradient of every parameter of a component, in double precision.
 * The component's output is projected onto fixed random weights to give a scalar; each checked
 * parameter element is perturbed in place by ±eps. Large parameters are sampled ({@code perParameter}
 * elements each, spread over the tensor) to keep contract tests fast.
 */
public final class ParameterGradientCheck {
  private final double eps;
  private final double relativeTolerance;
  private final double absoluteTolerance;
  private final int perParameter;

  public ParameterGradientCheck(double eps, double relativeTolerance, double absoluteTolerance, int perParameter) {
    this.eps = eps;
    this.relativeTolerance = relativeTolerance;
    this.absoluteTolerance = absoluteTolerance;
    this.perParameter = perParameter;
  }

  /** eps 1e-6, relative 1e-5, absolute 1e-8, up to 24 elements per parameter. */
  public static ParameterGradientCheck standard() {
    return new ParameterGradientCheck(1e-6, 1e-5, 1e-8, 24);
  }

  /** One disagreeing element. */
  public record Mismatch(String parameter, long index, double analytic, double numeric) {
    @Override
    public String toString() {
      return parameter + "[" + index + "]: analytic " + analytic + " vs numeric " + numeric;
    }
  }

  /**
   * @param params the component's parameters, DOUBLE (flattened here if they are not yet)
   * @param forward builds the output from the current parameter values (called many times; must be
   *     deterministic: evaluation mode, no dropout)
   * @return the mismatches, empty when every checked element agrees
   */
  public List<Mismatch> check(ParameterSet params, Supplier<Tensor> forward) {
    List<Tensor> list = params.list();
    for (Tensor p : list) {
      if (p.dataType() != DataType.DOUBLE) {
        throw new IllegalArgumentException("gradient checks need DOUBLE parameters; '" + p.name() + "' is "
            + p.dataType());
      }
    }
    params.flatten().zeroGrad();
    Tensor out = forward.get();
    INDArray projection;
    try (Rng rng = new Rng(4242)) {
      projection = rng.normal(DataType.DOUBLE, 0, 1, out.shape());
    }
    out.mul(Tensor.constant(projection)).sum().backward();
    List<INDArray> analytic = new ArrayList<>();
    for (Tensor p : list) {
      analytic.add(p.gradOrNull() == null ? null : p.gradOrNull().dup('c'));
    }
    List<Mismatch> mismatches = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Tensor p = list.get(i);
      INDArray value = p.value();
      long n = value.length();
      long stride = Math.max(1, n / perParameter);
      for (long j = 0; j < n; j += stride) {
        long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(value, j);
        double original = value.getDouble(at);
        value.putScalar(at, original + eps);
        double plus = projected(forward, projection);
        value.putScalar(at, original - eps);
        double minus = projected(forward, projection);
        value.putScalar(at, original);
        double numeric = (plus - minus) / (2 * eps);
        double a = analytic.get(i) == null ? 0.0 : analytic.get(i).reshape(n).getDouble(j);
        if (Math.abs(a - numeric) > absoluteTolerance + relativeTolerance * Math.max(Math.abs(a), Math.abs(numeric))) {
          mismatches.add(new Mismatch(p.name(), j, a, numeric));
        }
      }
    }
    return mismatches;
  }

  private static double projected(Supplier<Tensor> forward, INDArray projection) {
    try (var ignored = GradMode.noGrad()) {
      return forward.get().value().mul(projection).sumNumber().doubleValue();
    }
  }
}
