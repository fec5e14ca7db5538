package io.ablate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Arena;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The contract of an attention component: shapes for self- and cross-attention, exact gradients, no
 * information from future positions under a causal mask, padding that changes nothing, determinism,
 * composition with every registered positional encoding (or a clear refusal at build time), and
 * captured weights that are distributions over the visible keys.
 *
 * @param <C> the component's config record
 */
public abstract class AttentionContract<C extends Record> extends ComponentContract<C> {
  /** What an attention component may claim. */
  public enum Capability {
    /** Query length may differ from key length (cross-attention). */
    CROSS,
    /** Reports its weights to RunState.record when capturing. */
    CAPTURES_WEIGHTS
  }

  private static final int B = 2;
  private static final int T = 5;
  private final List<Rng> rngs = new ArrayList<>();

  @Override
  protected abstract ComponentFactory<C, Attention> factory();

  protected abstract Set<Capability> capabilities();

  protected Dims dims() {
    return new Dims(8, 2);
  }

  /** Positional encodings this component refuses at build time (it must say so with a ConfigException). */
  protected Set<String> refusedPositionals() {
    return Set.of();
  }

  /** A built component with its context. */
  protected record Built(Attention attention, ModelContext context) {}

  protected Built build(long seed, String positional) {
    Rng rng = new Rng(seed);
    rngs.add(rng);
    ModelContext context = TestModels.context(dims(), ModelIO.languageModel(11, 16), DataType.DOUBLE, rng);
    PositionalEncoding encoding = positional == null ? PositionalEncoding.NONE
        : context.scope("positional").create(Family.POSITIONAL, ComponentSpec.of(positional));
    ModelContext scoped = context.withPositional(encoding).scope("attention");
    Attention attention = scoped.create(Family.ATTENTION, new ComponentSpec(factory().name(), exampleOptions().get(0)));
    ArrayChecks.perturb(context.store().parameters().list(), seed + 1, 0.3);
    return new Built(attention, context);
  }

  @AfterEach
  void closeGenerators() {
    rngs.forEach(Rng::close);
    rngs.clear();
  }

  private static INDArray input(long seed, int t) {
    return GradCheck.randn(seed, B, t, 8);
  }

  private Tensor self(Built built, INDArray x, AttentionMask mask) {
    Tensor t = Tensor.constant(x);
    return built.attention().forward(t, t, mask);
  }

  @Test
  void selfAttentionKeepsTheShape() {
    Built built = build(1, null);
    try (var ignored = GradMode.noGrad()) {
      INDArray out = self(built, input(2, T), AttentionMask.CAUSAL).value();
      assertArrayEquals(new long[] {B, T, 8}, out.shape());
      ArrayChecks.assertFinite(out, "output");
    }
  }

  /**
   * In evaluation the engine frees the arrays tensor ops made as each sublayer and each pass ends;
   * a value the attention keeps across calls (a mask, a bias table) must not be one of them.
   */
  @Test
  void attendsAgainAfterAnEvaluationPassFreedItsArrays() {
    Built built = build(1, null);
    INDArray x = input(2, T);
    INDArray first = evaluationPass(built, x);
    INDArray second = evaluationPass(built, x);
    ArrayChecks.assertClose(first, second, 1e-12, "a second evaluation pass");
  }

  private INDArray evaluationPass(Built built, INDArray x) {
    try (Arena pass = Arena.open(); var ignored = GradMode.noGrad()) {
      return Arena.releasingIntermediates(() -> self(built, x, AttentionMask.CAUSAL)).value().dup();
    }
  }

  @Test
  void crossAttentionReadsAMemoryOfAnotherLength() {
    Capabilities.require(capabilities(), Capability.CROSS, factory().name());
    Built built = build(1, null);
    try (var ignored = GradMode.noGrad()) {
      INDArray out = built.attention().forward(Tensor.constant(input(2, 3)), Tensor.constant(input(3, 6)),
          AttentionMask.padding(ArrayChecks.rightPadded(6, 6, 4))).value();
      assertArrayEquals(new long[] {B, 3, 8}, out.shape());
    }
  }

  @Test
  void noInformationFlowsFromFuturePositionsUnderACausalMask() {
    Built built = build(1, null);
    INDArray x = input(2, T);
    INDArray changed = x.dup();
    changed.get(NDArrayIndex.all(), NDArrayIndex.interval(3, T), NDArrayIndex.all()).addi(5.0);
    try (var ignored = GradMode.noGrad()) {
      INDArray a = self(built, x, AttentionMask.CAUSAL).value();
      INDArray b = self(built, changed, AttentionMask.CAUSAL).value();
      ArrayChecks.assertClose(a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all()),
          b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all()), 1e-12, "outputs before t=3");
      ArrayChecks.assertDiffer(a, b, 1e-6, "outputs from t=3 on");
    }
  }

  @Test
  void paddedKeysChangeNothing() {
    Built built = build(1, null);
    INDArray valid = ArrayChecks.rightPadded(T, T, 3);
    INDArray x = input(2, T);
    INDArray changed = x.dup();
    changed.get(NDArrayIndex.point(1), NDArrayIndex.interval(3, T), NDArrayIndex.all()).addi(7.0);
    for (boolean causal : new boolean[] {false, true}) {
      AttentionMask mask = new AttentionMask(causal, valid);
      try (var ignored = GradMode.noGrad()) {
        INDArray a = self(built, x, mask).value();
        INDArray b = self(built, changed, mask).value();
        ArrayChecks.assertClose(a.get(NDArrayIndex.point(1), NDArrayIndex.interval(0, 3), NDArrayIndex.all()),
            b.get(NDArrayIndex.point(1), NDArrayIndex.interval(0, 3), NDArrayIndex.all()), 1e-12,
            "real positions of the padded row (causal=" + causal + ")");
      }
    }
  }

  @Test
  void parameterAndInputGradientsMatchFiniteDifferences() {
    Built built = build(1, null);
    INDArray x = input(2, T);
    AttentionMask mask = new AttentionMask(true, ArrayChecks.rightPadded(T, T, 4));
    var mismatches = ParameterGradientCheck.standard().check(built.context().store().parameters(),
        () -> self(built, x, mask));
    assertTrue(mismatches.isEmpty(), mismatches.toString());
    var inputs = GradCheck.standard().check(in -> built.attention().forward(in[0], in[0], mask), x);
    assertTrue(inputs.isEmpty(), inputs.toString());
  }

  @Test
  void sameSeedSameOutputOtherSeedOther() {
    INDArray x = input(2, T);
    try (var ignored = GradMode.noGrad()) {
      INDArray a = self(build(1, null), x, AttentionMask.CAUSAL).value();
      INDArray b = self(build(1, null), x, AttentionMask.CAUSAL).value();
      INDArray c = self(build(9, null), x, AttentionMask.CAUSAL).value();
      ArrayChecks.assertClose(a, b, 0, "same seed");
      ArrayChecks.assertDiffer(a, c, 1e-6, "another seed");
    }
  }

  @Test
  void composesWithEveryRegisteredPositionalEncodingOrRefusesItAtBuildTime() {
    Map<String, String> refused = new LinkedHashMap<>();
    for (String positional : TestModels.registry().names(Family.POSITIONAL)) {
      Built built;
      try {
        built = build(1, positional);
      } catch (ConfigException e) {
        assertFalse(e.getMessage().isBlank());
        refused.put(positional, e.getMessage());
        continue;
      }
      try (var ignored = GradMode.noGrad()) {
        INDArray x = input(2, T);
        ArrayChecks.assertFinite(self(built, x, new AttentionMask(true, ArrayChecks.rightPadded(T, T, 3))).value(),
            factory().name() + " with " + positional);
      }
    }
    assertEquals(refusedPositionals(), refused.keySet(), "refused at build time: " + refused);
  }

  @Test
  void capturedWeightsAreDistributionsOverVisibleKeys() {
    Capabilities.require(capabilities(), Capability.CAPTURES_WEIGHTS, factory().name());
    Built built = build(1, null);
    List<INDArray> captured = new ArrayList<>();
    built.context().state().capture((layer, w) -> captured.add(w));
    try (var ignored = GradMode.noGrad()) {
      self(built, input(2, T), new AttentionMask(true, ArrayChecks.rightPadded(T, T, 3)));
    } finally {
      built.context().state().capture(null);
    }
    assertEquals(1, captured.size());
    INDArray w = captured.get(0);                                                  // (B, H, Tq, Tk)
    assertArrayEquals(new long[] {B, dims().heads(), T, T}, w.shape());
    ArrayChecks.assertClose(w.sum(3), w.sum(3).mul(0).add(1), 1e-9, "rows sum to 1");
    for (int i = 0; i < T; i++) {
      for (int j = 0; j < T; j++) {
        if (j > i || j >= 3) {
          assertEquals(0.0, w.getDouble(1, 0, i, j), 1e-9, "row 1 query " + i + " masked key " + j);
        }
      }
    }
  }
}
