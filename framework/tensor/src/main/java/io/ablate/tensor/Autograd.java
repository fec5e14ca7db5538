package io.ablate.tensor;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reverse-mode traversal of the recorded graph. */
final class Autograd {
  private Autograd() {}

  static void backward(Tensor root, INDArray outputGrad, boolean releaseGraph) {
    if (!root.requiresGrad()) {
      throw new TensorException("backward() on " + root.describe() + ", which does not depend on any"
          + " tensor that requires a gradient (or was computed under GradMode.noGrad())");
    }
    INDArray seed = seedGradient(root, outputGrad);
    List<Tensor> order = topologicalOrder(root);
    root.setGrad(seed);
    Gradients sink = new Gradients();
    // Reverse topological order: each op runs once all its consumers have added their gradients.
    for (int i = order.size() - 1; i >= 0; i--) {
      Tensor t = order.get(i);
      INDArray upstream = t.gradOrNull();
      if (upstream == null) {
        continue;
      }
      Node node = t.node();
      long started = System.nanoTime();
      sink.begin(upstream);
      try {
        node.backward.apply(upstream, sink);
        if (OpProfiler.enabled()) {
          OpProfiler.backwardDone(node.op, System.nanoTime() - started);
        }
      } catch (TensorException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new TensorException("backward of " + node.op + " failed for output " + TensorException.shape(t.shape())
            + ": " + e.getMessage(), e);
      }
      // An intermediate's gradient is dead once passed on.
      t.setGrad(null);
      if (!sink.adoptedUpstream()) {
        Memory.release(upstream);
      }
    }
    if (releaseGraph) {
      release(order);
    }
  }

  private static INDArray seedGradient(Tensor root, INDArray outputGrad) {
    INDArray value = root.value();
    if (outputGrad == null) {
      if (value.length() != 1) {
        throw new TensorException("backward() without an output gradient needs a scalar, got "
            + root.describe() + "; pass the output gradient or reduce first");
      }
      double v = value.getDouble(0);
      if (!Double.isFinite(v)) {
        throw new TensorException("backward(): the loss is " + v + " (" + root.describe() + ")");
      }
      return Nd4j.onesLike(value);
    }
    if (!java.util.Arrays.equals(outputGrad.shape(), value.shape())) {
      throw new TensorException("backward(): output gradient " + TensorException.shape(outputGrad.shape())
          + " does not match " + root.describe());
    }
    return outputGrad.dup();
  }

  /** Op outputs reachable from the root that require a gradient, inputs before consumers. */
  private static List<Tensor> topologicalOrder(Tensor root) {
    List<Tensor> order = new ArrayList<>();
    Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Tensor> stack = new ArrayDeque<>();
    ArrayDeque<Integer> nextInput = new ArrayDeque<>();
    stack.push(root);
    nextInput.push(0);
    visited.add(root);
    while (!stack.isEmpty()) {
      Tensor t = stack.peek();
      int i = nextInput.pop();
      Tensor[] inputs = t.node().inputs;
      if (i < inputs.length) {
        nextInput.push(i + 1);
        Tensor input = inputs[i];
        if (input.requiresGrad() && !input.isLeaf() && visited.add(input)) {
          stack.push(input);
          nextInput.push(0);
        }
      } else {
        stack.pop();
        order.add(t);
      }
    }
    return order;
  }

  /** Frees op outputs and saved arrays, never touching a buffer that a leaf (parameter) uses. */
  private static void release(List<Tensor> order) {
    Set<DataBuffer> protectedBuffers = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Tensor t : order) {
      for (Tensor input : t.node().inputs) {
        if (input.isLeaf()) {
          protectedBuffers.add(Memory.baseBuffer(input.rawValue()));
        }
      }
    }
    for (Tensor t : order) {
      for (INDArray saved : t.node().saved) {
        releaseUnlessProtected(saved, protectedBuffers);
      }
      if (t != order.get(order.size() - 1)) { // the root (the loss) stays readable
        releaseUnlessProtected(t.rawValue(), protectedBuffers);
      }
    }
  }

  private static void releaseUnlessProtected(INDArray array, Set<DataBuffer> protectedBuffers) {
    if (!array.wasClosed() && !protectedBuffers.contains(Memory.baseBuffer(array))) {
      Memory.release(array);
    }
  }
}
