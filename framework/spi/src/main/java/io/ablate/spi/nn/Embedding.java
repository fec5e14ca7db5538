package io.ablate.spi.nn;

import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A lookup table of shape (rows, dim). */
public final class Embedding {
  private final Tensor table;

  public Embedding(Parameters params, String name, INDArray initial) {
    this.table = params.create(name, initial);
  }

  public Embedding(Parameters params, String name, int rows, int dim, double std) {
    this.table = params.normal(name, std, rows, dim);
  }

  /** ids (B, T) integer → (B, T, dim). */
  public Tensor forward(INDArray ids) {
    return Shapes.gather(table, ids);
  }

  /** The table itself, (rows, dim): for tied output projections. */
  public Tensor table() {
    return table;
  }
}
