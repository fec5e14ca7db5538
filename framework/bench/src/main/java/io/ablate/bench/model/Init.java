package io.ablate.bench.model;

import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Creates named parameters in a {@link ParameterSet}, initialised from one seeded generator. */
public final class Init {
  private final ParameterSet params;
  private final Rng rng;
  private final DataType type;

  public Init(ParameterSet params, Rng rng, DataType type) {
    this.params = params;
    this.rng = rng;
    this.type = type;
  }

  public Tensor normal(String name, double std, long... shape) {
    return params.add(Tensor.parameter(name, rng.normal(type, 0, std, shape)));
  }

  public Tensor zeros(String name, long... shape) {
    return params.add(Tensor.parameter(name, Nd4j.zeros(type, shape)));
  }

  public Tensor ones(String name, long... shape) {
    return params.add(Tensor.parameter(name, Nd4j.ones(type, shape)));
  }

  public DataType type() {
    return type;
  }
}
