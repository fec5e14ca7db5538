package io.ablate.experiment.run;

/** A run stopped on purpose: NaN/Inf loss or divergence, with the step it happened at. */
final class RunFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final long step;

  RunFailure(long step, String reason) {
    super(reason);
    this.step = step;
  }
}
