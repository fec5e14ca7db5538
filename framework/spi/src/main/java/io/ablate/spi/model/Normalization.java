package io.ablate.spi.model;

import io.ablate.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Normalises each position's feature vector (or, for batch norm, each feature over tokens). */
public interface Normalization {
  /**
   * @param x (B, T, D)
   * @param valid (B, T), 1 for real tokens; statistics over tokens ignore padding. May be null.
   * @return (B, T, D)
   */
  Tensor forward(Tensor x, INDArray valid);
}
