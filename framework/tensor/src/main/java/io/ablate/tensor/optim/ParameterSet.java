package io.ablate.tensor.optim;

import io.ablate.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The trainable parameters of a model, in one flat buffer. After {@link #flatten()}, each
 * parameter's value and gradient are views into a single values array and a single gradients
 * array, so an optimizer step, gradient clipping and zeroing are a few native calls over the whole
 * model instead of a few per parameter.
 */
public final class ParameterSet {
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private INDArray values;
  private INDArray grads;
  private INDArray decayMask;

  /** Registers a parameter under a unique name; returns it for chaining. */
  public Tensor add(Tensor parameter) {
    if (values != null) {
      throw new IllegalStateException("parameters cannot be added after flatten()");
    }
    if (!parameter.requiresGrad() || !parameter.isLeaf()) {
      throw new IllegalArgumentException("'" + parameter.name() + "' is not a trainable leaf tensor");
    }
    if (parameters.putIfAbsent(parameter.name(), parameter) != null) {
      throw new IllegalArgumentException("duplicate parameter name '" + parameter.name() + "'");
    }
    return parameter;
  }

  public List<Tensor> list() {
    return Collections.unmodifiableList(new ArrayList<>(parameters.values()));
  }

  public boolean contains(String name) {
    return parameters.containsKey(name);
  }

  public Tensor get(String name) {
    Tensor t = parameters.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no parameter '" + name + "'; known: " + parameters.keySet());
    }
    return t;
  }

  /** Total number of scalar parameters. */
  public long count() {
    return parameters.values().stream().mapToLong(t -> t.value().length()).sum();
  }

  /**
   * Moves every parameter into flat storage. Weight decay applies to parameters of rank ≥ 2
   * (matrices, embeddings) and not to biases or normalisation gains.
   */
  public ParameterSet flatten() {
    return flatten(t -> t.rank() >= 2);
  }

  public ParameterSet flatten(Predicate<Tensor> decays) {
    if (values != null) {
      return this;
    }
    if (parameters.isEmpty()) {
      throw new IllegalStateException("no parameters to optimise");
    }
    DataType type = parameters.values().iterator().next().dataType();
    long total = count();
    values = Nd4j.createUninitialized(type, total);
    grads = Nd4j.zeros(type, total);
    decayMask = Nd4j.zeros(type, total);
    long offset = 0;
    for (Tensor p : parameters.values()) {
      if (p.dataType() != type) {
        throw new IllegalStateException("parameter '" + p.name() + "' is " + p.dataType() + ", others " + type);
      }
      long n = p.value().length();
      INDArray valueView = values.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape());
      valueView.assign(p.value());
      p.rebind(valueView);
      p.setGrad(grads.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape()));
      if (decays.test(p)) {
        decayMask.get(NDArrayIndex.interval(offset, offset + n)).assign(1);
      }
      offset += n;
    }
    return this;
  }

  public INDArray values() {
    requireFlat();
    return values;
  }

  public INDArray grads() {
    requireFlat();
    return grads;
  }

  /** 1 where weight decay applies, 0 elsewhere. */
  public INDArray decayMask() {
    requireFlat();
    return decayMask;
  }

  public void zeroGrad() {
    requireFlat();
    grads.assign(0);
  }

  /** L2 norm of all gradients together. */
  public double gradNorm() {
    return grads().norm2Number().doubleValue();
  }

  private void requireFlat() {
    if (values == null) {
      throw new IllegalStateException("call flatten() before optimising");
    }
  }
}
