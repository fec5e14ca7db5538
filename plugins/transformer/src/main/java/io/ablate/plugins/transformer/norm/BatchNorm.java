package io.ablate.plugins.transformer.norm;

import io.ablate.spi.BuildContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.Default;
import io.ablate.spi.Doc;
import io.ablate.spi.Factories;
import io.ablate.spi.Family;
import io.ablate.spi.model.Normalization;
import io.ablate.spi.model.RunState;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.ops.Norms;
import io.ablate.tensor.ops.Norms.BatchNormState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code batchnorm}: each feature normalised over every real token of the batch (padding is left out
 * of the statistics), with gain and bias. Training uses the batch statistics and updates running
 * estimates; evaluation uses the running estimates, so its output at a position depends on that
 * position only.
 *
 * <p>The running mean and variance are model buffers ({@code running_mean}, {@code running_var}, shape
 * (D)), so checkpoints carry them.
 *
 * <p>In a causal decoder, training-mode statistics mix every position of the batch, so a token's
 * output depends (weakly) on later tokens; evaluation-mode outputs are causal. That leak is part of
 * what a batchnorm-vs-layernorm ablation measures.
 */
public final class BatchNorm implements Normalization {
  /** Options of {@code batchnorm}. */
  public record Config(
      @Doc("weight of the newest batch in the running statistics: r ← (1 − m)·r + m·batch")
      @Default("0.1") double momentum,
      @Doc("added to the variance") @Default("1e-5") double eps) {
    public Config {
      if (!(momentum > 0 && momentum <= 1)) {
        throw new IllegalArgumentException("momentum must be in (0, 1], got " + momentum);
      }
      if (!(eps > 0)) {
        throw new IllegalArgumentException("eps must be > 0, got " + eps);
      }
    }
  }

  public static final ComponentFactory<Config, Normalization> FACTORY = Factories.of(Family.NORMALIZATION,
      "batchnorm", "Batch normalisation per feature over the non-padding tokens of a batch (Ioffe & Szegedy 2015)",
      Config.class, BatchNorm::new);

  private final Tensor gain;
  private final Tensor bias;
  private final INDArray runningMean;   // (D), a checkpointed buffer
  private final INDArray runningVar;    // (D), a checkpointed buffer
  private final BatchNormState state;   // the engine's working copy, (1, D)
  private final RunState mode;

  public BatchNorm(Config config, BuildContext context) {
    int d = context.dims().dModel();
    var params = context.params();
    this.gain = params.ones("gain", d);
    this.bias = params.zeros("bias", d);
    this.runningMean = params.buffer("running_mean", Nd4j.zeros(params.type(), d));
    this.runningVar = params.buffer("running_var", Nd4j.ones(params.type(), d));
    this.state = new BatchNormState(d, params.type(), config.momentum(), config.eps());
    this.mode = context.state();
  }

  @Override
  public Tensor forward(Tensor x, INDArray valid) {
    long d = runningMean.length();
    // The buffers are the source of truth (a checkpoint load writes them); the engine's state is a copy.
    state.runningMean().assign(runningMean.reshape(1, d));
    state.runningVar().assign(runningVar.reshape(1, d));
    boolean training = mode.training();
    Tensor out = Norms.batchNorm(x, gain, bias, state, valid, training);          // (B, T, D)
    if (training) {
      runningMean.assign(state.runningMean().reshape(d));
      runningVar.assign(state.runningVar().reshape(d));
    }
    return out;
  }
}
