package io.ablate.tensor.ops;

import io.ablate.tensor.Broadcast;
import io.ablate.tensor.Memory;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.TensorException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Element-wise arithmetic with NumPy broadcasting, and scalar arithmetic. */
public final class Arithmetic {
  private Arithmetic() {}

  public static Tensor add(Tensor a, Tensor b) {
    checkBroadcast("add", a, b);
    return Tensor.fromOp("add", Kernels.add(a.value(), b.value()), (g, grads) -> {
      grads.addBroadcast(a, g);
      grads.addBroadcast(b, g);
    }, a, b);
  }

  public static Tensor sub(Tensor a, Tensor b) {
    checkBroadcast("sub", a, b);
    return Tensor.fromOp("sub", Kernels.sub(a.value(), b.value()), (g, grads) -> {
      grads.addBroadcast(a, g);
      if (b.requiresGrad()) {
        INDArray negated = Kernels.mul(g, -1.0);
        grads.addBroadcast(b, negated);
        Memory.release(negated);
      }
    }, a, b);
  }

  public static Tensor mul(Tensor a, Tensor b) {
    checkBroadcast("mul", a, b);
    return Tensor.fromOp("mul", Kernels.mul(a.value(), b.value()), (g, grads) -> {
      if (a.requiresGrad()) {
        INDArray ga = Kernels.mul(g, b.value());
        grads.addBroadcast(a, ga);
        Memory.release(ga);
      }
      if (b.requiresGrad()) {
        INDArray gb = Kernels.mul(g, a.value());
        grads.addBroadcast(b, gb);
        Memory.release(gb);
      }
    }, a, b);
  }

  public static Tensor div(Tensor a, Tensor b) {
    checkBroadcast("div", a, b);
    INDArray out = Kernels.div(a.value(), b.value());
    return Tensor.fromOp("div", out, (g, grads) -> {
      if (a.requiresGrad()) {
        INDArray ga = Kernels.div(g, b.value());
        grads.addBroadcast(a, ga);
        Memory.release(ga);
      }
      if (b.requiresGrad()) {
        // d(a/b)/db = -(a/b)/b
        INDArray gb = Kernels.divi(Kernels.mul(g, out), b.value()).negi();
        grads.addBroadcast(b, gb);
        Memory.release(gb);
      }
    }, a, b);
  }

  public static Tensor addScalar(Tensor a, double s) {
    return Tensor.fromOp("add_scalar", a.value().dup().addi(s), (g, grads) -> grads.addShared(a, g), a);
  }

  public static Tensor mulScalar(Tensor a, double s) {
    return Tensor.fromOp("mul_scalar", Kernels.mul(a.value(), s), (g, grads) -> grads.add(a, Kernels.mul(g, s)), a);
  }

  public static Tensor pow(Tensor a, double p) {
    INDArray x = a.value();
    return Tensor.fromOp("pow", Transforms.pow(x, p, true), (g, grads) -> {
      INDArray d = Transforms.pow(x, p - 1, true).muli(p).muli(g);
      grads.add(a, d);
    }, a);
  }

  private static void checkBroadcast(String op, Tensor a, Tensor b) {
    if (Broadcast.shape(a.shape(), b.shape()) == null) {
      throw TensorException.forOp(op, "shapes cannot be broadcast together", a, b);
    }
    if (a.dataType() != b.dataType()) {
      throw TensorException.forOp(op, "data types differ: " + a.dataType() + " and " + b.dataType(), a, b);
    }
  }
}
