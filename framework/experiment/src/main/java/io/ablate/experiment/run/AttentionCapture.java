package io.ablate.experiment.run;

import io.ablate.core.model.BuiltModel;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.RunState;
import io.ablate.tensor.GradMode;

/**
 * The one way the framework reads attention weights: a forward pass in evaluation mode, without
 * gradients, with {@link RunState#capture} on, so that every attention layer reports its
 * (B, H, Tq, Tk) weights to a sink in the order the pass reaches them. Used by
 * {@link AttentionSample} (the heat maps and prefix-matching scores) and {@link AttentionEntropy}
 * (entropy at every evaluation). A model whose attention records nothing calls the sink never.
 */
final class AttentionCapture {
  private AttentionCapture() {}

  /**
   * Runs {@code batch} through the model with capture on. Whatever happens, the model is left in
   * training mode with capture off; exceptions of the forward pass reach the caller.
   */
  static void forward(BuiltModel model, Batch batch, RunState.AttentionSink sink) {
    model.state().eval();
    model.state().capture(sink);
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      model.model().logits(batch);
    } finally {
      model.state().capture(null);
      model.state().train();
    }
  }
}
