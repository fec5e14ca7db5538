package io.ablate.tensor.ops;

import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Element-wise functions; each backward is a handful of native array ops. */
public final class Activations {
  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

  private Activations() {}

  public static Tensor exp(Tensor a) {
    INDArray out = Transforms.exp(a.value(), true);
    return Tensor.fromOp("exp", out, (g, grads) -> grads.add(a, Kernels.mul(g, out)), a);
  }

  public static Tensor log(Tensor a) {
    INDArray x = a.value();
    return Tensor.fromOp("log", Transforms.log(x, true), (g, grads) -> grads.add(a, Kernels.div(g, x)), a);
  }

  public static Tensor sqrt(Tensor a) {
    INDArray out = Transforms.sqrt(a.value(), true);
    return Tensor.fromOp("sqrt", out, (g, grads) -> grads.add(a, Kernels.divi(Kernels.mul(g, 0.5), out)), a);
  }

  /** 1/√x; d/dx = −½·out³. */
  public static Tensor rsqrt(Tensor a) {
    INDArray out = Transforms.pow(a.value(), -0.5, true);
    return Tensor.fromOp("rsqrt", out, (g, grads) -> {
      INDArray d = Transforms.pow(out, 3, true).muli(g).muli(-0.5);
      grads.add(a, d);
    }, a);
  }

  public static Tensor tanh(Tensor a) {
    INDArray out = Transforms.tanh(a.value(), true);
    return Tensor.fromOp("tanh", out, (g, grads) -> {
      INDArray d = Kernels.mul(out, out).rsubi(1).muli(g);               // (1 − out²)·g
      grads.add(a, d);
    }, a);
  }

  public static Tensor sigmoid(Tensor a) {
    INDArray out = Transforms.sigmoid(a.value(), true);
    return Tensor.fromOp("sigmoid", out, (g, grads) -> {
      INDArray d = Kernels.mul(out, -1.0).addi(1).muli(out).muli(g);               // out·(1 − out)·g
      grads.add(a, d);
    }, a);
  }

  public static Tensor relu(Tensor a) {
    INDArray x = a.value();
    return Tensor.fromOp("relu", Transforms.relu(x, true), (g, grads) -> {
      INDArray d = NativeOp.like(g);
      NativeOp.exec("relu_bp", new INDArray[] {x, g}, new INDArray[] {d});
      grads.add(a, d);
    }, a);
  }

  /** Exact GELU, x·Φ(x), as in PyTorch's default: d/dx = Φ(x) + x·φ(x). */
  public static Tensor gelu(Tensor a) {
    INDArray x = a.value();
    if (Gelu.supports(x)) {
      return Tensor.fromOp("gelu", Gelu.forward(x), (g, grads) -> grads.add(a, Gelu.backward(x, g)), a);
    }
    return geluChain(a);
  }

  /** Exact GELU as libnd4j calls (other backends; the reference {@link Gelu} is tested against). */
  static Tensor geluChain(Tensor a) {
    INDArray x = a.value();
    INDArray cdf = Kernels.mul(x, SQRT_HALF);
    Nd4j.exec(new Erf(cdf, cdf));
    cdf.addi(1).muli(0.5);                                                            // Φ(x)
    INDArray out = Kernels.mul(x, cdf);
    return Tensor.fromOp("gelu", out, (g, grads) -> {
      INDArray pdf = Transforms.exp(Kernels.mul(x, x).muli(-0.5), false).muli(INV_SQRT_2PI);   // φ(x)
      INDArray d = Kernels.muli(Kernels.addi(Kernels.muli(pdf, x), cdf), g);
      grads.add(a, d);
    }, a).saveForBackward(cdf);
  }

  /** x·σ(x): d/dx = σ(x)·(1 + x·(1 − σ(x))). */
  public static Tensor silu(Tensor a) {
    INDArray x = a.value();
    INDArray s = Transforms.sigmoid(x, true);
    INDArray out = Kernels.mul(x, s);
    return Tensor.fromOp("silu", out, (g, grads) -> {
      INDArray d = Kernels.mul(s, -1.0).addi(1).muli(x).addi(1).muli(s).muli(g);
      grads.add(a, d);
    }, a).saveForBackward(s);
  }

  public static Tensor sin(Tensor a) {
    INDArray x = a.value();
    return Tensor.fromOp("sin", Transforms.sin(x, true), (g, grads) -> {
      INDArray d = Kernels.muli(Transforms.cos(x, true), g);
      grads.add(a, d);
    }, a);
  }

  public static Tensor cos(Tensor a) {
    INDArray x = a.value();
    return Tensor.fromOp("cos", Transforms.cos(x, true), (g, grads) -> {
      INDArray d = Kernels.muli(Transforms.sin(x, true), g).negi();
      grads.add(a, d);
    }, a);
  }
}
