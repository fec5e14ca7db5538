package io.ablate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.spi.model.PositionalEncoding.QueryKey;
import io.ablate.tensor.Arena;
import io.ablate.tensor.Broadcast;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import io.ablate.tensor.ops.Shapes;
import io.ablate.tensor.optim.ParameterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What every positional encoding must satisfy, through the three hooks attention variants call:
 * it declares exactly the hooks it claims, keeps shapes, is deterministic under a seed, has correct
 * gradients, and has the properties it claims (relative scores, norm preservation, any length).
 *
 * <p>A subclass names the factory and its {@link Capability capabilities}; a test that needs an
 * unclaimed capability is skipped with the reason.
 *
 * @param <C> the encoding's config record
 */
public abstract class PositionalContract<C extends Record> extends ComponentContract<C> {
  /** What an encoding may claim. */
  public enum Capability {
    /** Uses the INPUT hook (adds to the embeddings). */
    INPUT,
    /** Uses the QUERY_KEY hook (transforms queries and keys). */
    QUERY_KEY,
    /** Uses the SCORES hook (adds a term to the logits). */
    SCORES,
    /** The attention term depends on positions only through j − i. */
    RELATIVE,
    /** The QUERY_KEY hook preserves the norm of every query and key vector. */
    NORM_PRESERVING,
    /** Works for sequences longer than the task's max length. */
    LENGTH_EXTRAPOLATION
  }

  protected static final int BATCH = 2;
  private static final double EXACT = 1e-10;

  private final List<Rng> rngs = new ArrayList<>();

  @Override
  protected abstract ComponentFactory<C, PositionalEncoding> factory();

  /** The capabilities the encoding claims. */
  protected abstract Set<Capability> capabilities();

  /** Width and heads to build with; D = 8, H = 2 by default. */
  protected Dims dims() {
    return new Dims(8, 2);
  }

  /** The task's max length (learned tables are this long); 6 by default. */
  protected int maxLength() {
    return 6;
  }

  protected ModelIO io() {
    return ModelIO.languageModel(13, maxLength());
  }

  /** A freshly built encoding, seeded, scoped {@code positional}. */
  protected record Built(PositionalEncoding encoding, ModelContext context) {
    public ParameterSet parameters() {
      return context.store().parameters();
    }
  }

  /** Builds the encoding with the first example options, DOUBLE parameters, and this seed. */
  protected Built build(long seed) {
    Rng rng = new Rng(seed);
    rngs.add(rng);
    ModelContext context = TestModels.context(dims(), io(), DataType.DOUBLE, rng).scope("positional");
    PositionalEncoding encoding = context.create(Family.POSITIONAL,
        new ComponentSpec(factory().name(), exampleOptions().get(0)));
    return new Built(encoding, context);
  }

  @AfterEach
  void closeGenerators() {
    rngs.forEach(Rng::close);
    rngs.clear();
  }

  private String name() {
    return factory().name();
  }

  private Set<Hook> claimedHooks() {
    Set<Hook> hooks = EnumSet.noneOf(Hook.class);
    for (Capability c : capabilities()) {
      switch (c) {
        case INPUT -> hooks.add(Hook.INPUT);
        case QUERY_KEY -> hooks.add(Hook.QUERY_KEY);
        case SCORES -> hooks.add(Hook.SCORES);
        default -> { }
      }
    }
    return hooks;
  }

  @Test
  void declaresExactlyTheClaimedHooks() {
    assertEquals(claimedHooks(), EnumSet.copyOf(withNone(build(1).encoding().hooks())),
        name() + ": hooks() must match the claimed INPUT / QUERY_KEY / SCORES capabilities");
  }

  private static Set<Hook> withNone(Set<Hook> hooks) {
    return hooks.isEmpty() ? EnumSet.noneOf(Hook.class) : hooks;
  }

  @Test
  void unclaimedHooksAreIdentities() {
    PositionalEncoding encoding = build(1).encoding();
    Set<Hook> hooks = encoding.hooks();
    int t = maxLength();
    if (!hooks.contains(Hook.INPUT)) {
      Tensor x = Tensor.constant(GradCheck.randn(2, BATCH, t, dims().dModel()));
      assertSame(x, encoding.embed(x), name() + ": embed() without the INPUT hook must return its input");
    }
    if (!hooks.contains(Hook.QUERY_KEY)) {
      Tensor q = Tensor.constant(queries(3, t));
      Tensor k = Tensor.constant(queries(4, t));
      QueryKey qk = encoding.rotate(q, k);
      assertSame(q, qk.query(), name() + ": rotate() without the QUERY_KEY hook must return its query");
      assertSame(k, qk.key(), name() + ": rotate() without the QUERY_KEY hook must return its key");
    }
    if (!hooks.contains(Hook.SCORES)) {
      assertNull(encoding.scoreBias(Tensor.constant(queries(3, t)), t),
          name() + ": scoreBias() without the SCORES hook must return null");
    }
  }

  @Test
  void inputHookKeepsTheShapeAndDependsOnPosition() {
    Capabilities.require(capabilities(), Capability.INPUT, name());
    PositionalEncoding encoding = build(1).encoding();
    int t = maxLength();
    INDArray zeros = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, BATCH, t, dims().dModel());
    INDArray out = encoding.embed(Tensor.constant(zeros)).value();
    assertArrayEquals(zeros.shape(), out.shape(), name() + ": embed() shape");
    assertFinite(out, "embed()");
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        INDArray a = out.get(NDArrayIndex.point(0), NDArrayIndex.point(i), NDArrayIndex.all());
        INDArray b = out.get(NDArrayIndex.point(0), NDArrayIndex.point(j), NDArrayIndex.all());
        assertTrue(maxAbs(a.sub(b)) > EXACT, name() + ": positions " + i + " and " + j + " get the same encoding");
      }
    }
  }

  @Test
  void queryKeyHookKeepsShapesWithFewerKeyHeadsAndOtherLengths() {
    Capabilities.require(capabilities(), Capability.QUERY_KEY, name());
    PositionalEncoding encoding = build(1).encoding();
    int dh = dims().headDim();
    INDArray q = GradCheck.randn(3, BATCH, dims().heads(), 3, dh);                // (B, H, Tq, Dh)
    INDArray k = GradCheck.randn(4, BATCH, 1, 5, dh);                             // (B, Hk, Tk, Dh)
    QueryKey out = encoding.rotate(Tensor.constant(q), Tensor.constant(k));
    assertArrayEquals(q.shape(), out.query().shape(), name() + ": rotated query shape");
    assertArrayEquals(k.shape(), out.key().shape(), name() + ": rotated key shape");
    assertFinite(out.query().value(), "rotated query");
    assertFinite(out.key().value(), "rotated key");
  }

  @Test
  void scoreHookBroadcastsToTheScoresForOtherKeyLengths() {
    Capabilities.require(capabilities(), Capability.SCORES, name());
    PositionalEncoding encoding = build(1).encoding();
    for (int[] lengths : new int[][] {{4, 4}, {3, 5}, {5, 2}}) {
      int tq = lengths[0];
      int tk = lengths[1];
      Tensor bias = encoding.scoreBias(Tensor.constant(queries(3, tq)), tk);
      long[] scores = {BATCH, dims().heads(), tq, tk};
      assertTrue(bias != null, name() + ": claims SCORES but scoreBias() returned null");
      assertEquals(4, bias.rank(), name() + ": the score term must have rank 4, got " + Arrays.toString(bias.shape()));
      assertArrayEquals(scores, Broadcast.shape(bias.shape(), scores),
          name() + ": score term " + Arrays.toString(bias.shape()) + " does not broadcast to " + Arrays.toString(scores));
      assertFinite(bias.value(), "score term");
    }
  }

  @Test
  void sameSeedGivesTheSameOutputs() {
    INDArray first = allHooks(build(5).encoding(), inputs(maxLength())).value();
    INDArray second = allHooks(build(5).encoding(), inputs(maxLength())).value();
    assertEquals(0.0, maxAbs(first.sub(second)), name() + ": same seed, different outputs");
  }

  /**
   * In evaluation the engine frees the arrays tensor ops made as each sublayer and each pass ends;
   * a value an encoding keeps across calls (a table, a mask) must not be one of them.
   */
  @Test
  void hooksRunAgainAfterAnEvaluationPassFreedItsArrays() {
    PositionalEncoding encoding = build(2).encoding();
    INDArray[] inputs = inputs(maxLength());
    INDArray first = evaluationPass(encoding, inputs);
    INDArray second = evaluationPass(encoding, inputs);
    assertEquals(0.0, maxAbs(first.sub(second)), name() + ": a second evaluation pass differs from the first");
  }

  private static INDArray evaluationPass(PositionalEncoding encoding, INDArray[] inputs) {
    try (Arena pass = Arena.open(); var ignored = GradMode.noGrad()) {
      return Arena.releasingIntermediates(() -> allHooks(encoding, inputs)).value().dup();
    }
  }

  @Test
  void parameterGradientsMatchFiniteDifferences() {
    Built built = build(3);
    ParameterSet params = built.parameters();
    Assumptions.assumeFalse(params.list().isEmpty(), () -> "skipped: " + name() + " has no parameters");
    INDArray[] inputs = inputs(maxLength());
    var mismatches = ParameterGradientCheck.standard().check(params, () -> allHooks(built.encoding(), inputs));
    assertTrue(mismatches.isEmpty(), name() + ": parameter gradients differ from finite differences: " + mismatches);
  }

  @Test
  void inputGradientsMatchFiniteDifferences() {
    PositionalEncoding encoding = build(3).encoding();
    INDArray[] inputs = inputs(4);
    Function<Tensor[], Tensor> f = t -> allHooks(encoding, t);
    Tensor[] variables = Arrays.stream(inputs).map(a -> Tensor.variable(a.dup())).toArray(Tensor[]::new);
    Assumptions.assumeTrue(f.apply(variables).requiresGrad(),
        () -> "skipped: the outputs of " + name() + " depend neither on its inputs nor on parameters");
    var mismatches = GradCheck.standard().check(f, inputs);
    assertTrue(mismatches.isEmpty(), name() + ": input gradients differ from finite differences: " + mismatches);
  }

  @Test
  void scoresDependOnlyOnRelativePosition() {
    Capabilities.require(capabilities(), Capability.RELATIVE, name());
    PositionalEncoding encoding = build(2).encoding();
    int t = maxLength();
    INDArray q = sameAtEveryPosition(GradCheck.randn(8, BATCH, dims().heads(), 1, dims().headDim()), t);
    INDArray k = sameAtEveryPosition(GradCheck.randn(9, BATCH, dims().heads(), 1, dims().headDim()), t);
    boolean checked = false;
    if (encoding.hooks().contains(Hook.QUERY_KEY)) {
      QueryKey qk = encoding.rotate(Tensor.constant(q), Tensor.constant(k));
      assertShiftInvariant(qk.query().matmul(qk.key().transpose(2, 3)).value(), "rotated q·k");
      checked = true;
    }
    if (encoding.hooks().contains(Hook.SCORES)) {
      assertShiftInvariant(encoding.scoreBias(Tensor.constant(q), t).value(), "score term");
      checked = true;
    }
    assertTrue(checked, name() + ": claims RELATIVE but uses neither the QUERY_KEY nor the SCORES hook");
  }

  @Test
  void queryKeyHookPreservesNorms() {
    Capabilities.require(capabilities(), Capability.NORM_PRESERVING, name());
    PositionalEncoding encoding = build(2).encoding();
    INDArray q = GradCheck.randn(3, BATCH, dims().heads(), 5, dims().headDim());
    INDArray k = GradCheck.randn(4, BATCH, 1, 7, dims().headDim());
    QueryKey out = encoding.rotate(Tensor.constant(q), Tensor.constant(k));
    assertEquals(0.0, maxAbs(q.norm2(3).sub(out.query().value().norm2(3))), 1e-12, name() + ": query norms changed");
    assertEquals(0.0, maxAbs(k.norm2(3).sub(out.key().value().norm2(3))), 1e-12, name() + ": key norms changed");
  }

  @Test
  void worksBeyondTheMaxLength() {
    Capabilities.require(capabilities(), Capability.LENGTH_EXTRAPOLATION, name());
    PositionalEncoding encoding = build(2).encoding();
    int t = 2 * maxLength() + 1;
    Tensor out = allHooks(encoding, inputs(t));
    assertFinite(out.value(), "outputs at length " + t);
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** {x (B, T, D), q (B, H, T, Dh), k (B, H, T, Dh)} for the three hooks. */
  protected INDArray[] inputs(int t) {
    return new INDArray[] {GradCheck.randn(11, BATCH, t, dims().dModel()), queries(12, t), queries(13, t)};
  }

  private INDArray queries(long seed, int t) {
    return GradCheck.randn(seed, BATCH, dims().heads(), t, dims().headDim());
  }

  /** Every claimed hook applied to {x, q, k}, flattened and concatenated. */
  private static Tensor allHooks(PositionalEncoding encoding, INDArray[] inputs) {
    return allHooks(encoding, Arrays.stream(inputs).map(Tensor::constant).toArray(Tensor[]::new));
  }

  private static Tensor allHooks(PositionalEncoding encoding, Tensor[] inputs) {
    Tensor x = inputs[0];
    Tensor q = inputs[1];
    Tensor k = inputs[2];
    List<Tensor> parts = new ArrayList<>();
    Set<Hook> hooks = encoding.hooks();
    if (hooks.contains(Hook.INPUT)) {
      parts.add(flat(encoding.embed(x)));
    }
    if (hooks.contains(Hook.QUERY_KEY)) {
      QueryKey qk = encoding.rotate(q, k);
      parts.add(flat(qk.query()));
      parts.add(flat(qk.key()));
      q = qk.query();
    }
    if (hooks.contains(Hook.SCORES)) {
      Tensor bias = encoding.scoreBias(q, (int) k.size(2));
      if (bias != null) {
        parts.add(flat(bias));
      }
    }
    if (parts.isEmpty()) {
      return flat(x);
    }
    return parts.size() == 1 ? parts.get(0) : Shapes.concat(0, parts.toArray(Tensor[]::new));
  }

  private static Tensor flat(Tensor t) {
    return t.reshape(t.value().length());
  }

  /** (B, H, 1, Dh) repeated along positions: (B, H, T, Dh). */
  private static INDArray sameAtEveryPosition(INDArray one, int t) {
    return one.repeat(2, t);
  }

  /** (…, T, T): entry (i, j) equals entry (i + s, j + s). */
  private void assertShiftInvariant(INDArray scores, String what) {
    int t = (int) scores.size(-1);
    INDArray s = scores.rank() == 4 ? scores : scores.reshape(1, 1, scores.size(-2), t);
    for (int i = 0; i + 1 < s.size(2); i++) {
      for (int j = 0; j + 1 < t; j++) {
        INDArray here = s.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.point(j));
        INDArray shifted = s.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i + 1),
            NDArrayIndex.point(j + 1));
        double diff = maxAbs(here.sub(shifted));
        if (diff > 1e-10) {
          fail(name() + ": " + what + " at (" + i + ", " + j + ") differs from (" + (i + 1) + ", " + (j + 1)
              + ") by " + diff + " for content that is the same at every position");
        }
      }
    }
  }

  private void assertFinite(INDArray a, String what) {
    assertTrue(Double.isFinite(a.sumNumber().doubleValue()) && Double.isFinite(a.amaxNumber().doubleValue()),
        name() + ": " + what + " is not finite");
  }

  static double maxAbs(INDArray a) {
    return a.length() == 0 ? 0 : org.nd4j.linalg.factory.Nd4j.math().abs(a).maxNumber().doubleValue();
  }
}
