package io.ablate.core.model;

import io.ablate.spi.nn.Parameters;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.ParameterSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameters and buffers of one model, by full dotted name. Scoped views share the storage and
 * prefix the names they create.
 */
public final class ParameterStore implements Parameters {
  private final Storage storage;
  private final String prefix;

  public ParameterStore(DataType type, Rng rng) {
    this(new Storage(type, rng), "");
  }

  private ParameterStore(Storage storage, String prefix) {
    this.storage = storage;
    this.prefix = prefix;
  }

  /** A view that creates names under {@code prefix.name}. */
  public ParameterStore scoped(String name) {
    return new ParameterStore(storage, qualify(name));
  }

  public String prefix() {
    return prefix;
  }

  @Override
  public DataType type() {
    return storage.type;
  }

  @Override
  public Tensor create(String name, INDArray initial) {
    String full = qualify(name);
    if (storage.parameters.contains(full) || storage.buffers.containsKey(full)) {
      throw new IllegalStateException("parameter '" + full + "' is created twice; give each a distinct name");
    }
    return storage.parameters.add(Tensor.parameter(full, initial.castTo(storage.type)));
  }

  @Override
  public INDArray buffer(String name, INDArray initial) {
    String full = qualify(name);
    if (storage.buffers.containsKey(full) || storage.parameters.contains(full)) {
      throw new IllegalStateException("buffer '" + full + "' is created twice; give each a distinct name");
    }
    INDArray buffer = initial.castTo(storage.type).dup();
    storage.buffers.put(full, buffer);
    return buffer;
  }

  @Override
  public Tensor normal(String name, double std, long... shape) {
    return create(name, storage.rng.normal(storage.type, 0, std, shape));
  }

  @Override
  public Tensor uniform(String name, double low, double high, long... shape) {
    return create(name, storage.rng.uniform(storage.type, low, high, shape));
  }

  @Override
  public Tensor zeros(String name, long... shape) {
    return create(name, Nd4j.zeros(storage.type, shape));
  }

  @Override
  public Tensor ones(String name, long... shape) {
    return create(name, Nd4j.ones(storage.type, shape));
  }

  /** All trainable parameters, in creation order (shared by every scoped view). */
  public ParameterSet parameters() {
    return storage.parameters;
  }

  /** All buffers by full name, in creation order. */
  public Map<String, INDArray> buffers() {
    return Collections.unmodifiableMap(storage.buffers);
  }

  private String qualify(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  private static final class Storage {
    final DataType type;
    final Rng rng;
    final ParameterSet parameters = new ParameterSet();
    final Map<String, INDArray> buffers = new LinkedHashMap<>();

    Storage(DataType type, Rng rng) {
      this.type = type;
      this.rng = rng;
    }
  }
}
