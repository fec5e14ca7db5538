package io.ablate.spi.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mode shared by all components of one model: training (dropout on, batch statistics) or evaluation
 * (dropout off, running statistics), and an optional sink for attention weights.
 */
public final class RunState {
  /** Receives attention probabilities while capture is on. */
  @FunctionalInterface
  public interface AttentionSink {
    /** @param weights (B, H, Tq, Tk), a copy the sink may keep */
    void record(String layer, INDArray weights);
  }

  private volatile boolean training = true;
  private volatile AttentionSink sink;

  public boolean training() {
    return training;
  }

  public void train() {
    training = true;
  }

  public void eval() {
    training = false;
  }

  public boolean capturing() {
    return sink != null;
  }

  /** Start (non-null) or stop (null) capturing attention weights. */
  public void capture(AttentionSink sink) {
    this.sink = sink;
  }

  /** Called by attention implementations when {@link #capturing()}; copies the weights. */
  public void record(String layer, INDArray weights) {
    AttentionSink s = sink;
    if (s != null) {
      s.record(layer, weights.dup());
    }
  }
}
