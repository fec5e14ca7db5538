package io.ablate.tensor;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The record an op leaves on the graph: its name, inputs, backward function and saved arrays. */
final class Node {
  final String op;
  final Tensor[] inputs;
  final BackwardFn backward;
  /** Arrays the backward function reads that no tensor owns; freed with the graph. */
  final List<INDArray> saved = new ArrayList<>(2);

  Node(String op, Tensor[] inputs, BackwardFn backward) {
    this.op = op;
    this.inputs = inputs;
    this.backward = backward;
  }
}
