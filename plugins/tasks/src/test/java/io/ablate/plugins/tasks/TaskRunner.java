package io.ablate.plugins.tasks;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Generator;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.task.Evaluation;
import io.ablate.spi.task.Evaluator;
import io.ablate.spi.task.Task;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import io.ablate.tensor.optim.Adam;
import io.ablate.testkit.TestModels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Trains a real (tiny) model on a prepared task for a few steps, as the study runner does, for smoke tests. */
final class TaskRunner implements Evaluator, AutoCloseable {
  private final BuiltModel model;
  private final Task task;
  private final Adam adam;

  TaskRunner(Task task, ModelIO io, ComponentSpec architecture, long seed) {
    this.task = task;
    this.model = new ModelBuilder(TestModels.registry()).build(architecture, io, seed,
        TokenCorpus.EMPTY, DataType.FLOAT);
    this.adam = Adam.adamW(model.params().parameters(), 0.0);
  }

  void train(int steps, int batch, double lr, Rng rng) {
    model.state().train();
    for (int step = 0; step < steps; step++) {
      model.params().parameters().zeroGrad();
      model.model().loss(task.trainBatch(batch, rng)).backward();
      adam.step(lr);
    }
  }

  Evaluation evaluate() {
    model.state().eval();
    return task.evaluate(this);
  }

  @Override
  public INDArray logits(Batch batch) {
    try (var ignored = GradMode.noGrad()) {
      return model.model().logits(batch).value().dup();
    }
  }

  @Override
  public double loss(Batch batch) {
    try (var ignored = GradMode.noGrad()) {
      return model.model().loss(batch).item();
    }
  }

  @Override
  public int[][] generate(Batch batch, Decoding decoding) {
    try (var ignored = GradMode.noGrad()) {
      return ((Generator) model.model()).generate(batch, decoding);
    }
  }

  @Override
  public boolean canGenerate() {
    return model.model() instanceof Generator;
  }

  @Override
  public void close() {
    model.close();
  }
}
