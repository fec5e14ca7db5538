package {{package}};

import static io.ablate.testkit.ArrayChecks.assertClose;
import static io.ablate.testkit.ArrayChecks.assertDiffer;
import static io.ablate.testkit.ArrayChecks.assertFinite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.spi.model.PositionalEncoding.Hook;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import io.ablate.testkit.ComponentContract;
import io.ablate.testkit.ParameterGradientCheck;
import io.ablate.testkit.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The conformance kit's checks for every component (inherited from {@link ComponentContract}: name,
 * config round-trip, unknown keys rejected, registration under its name), plus what every positional
 * encoding must do: declare at least one hook and leave the others the identity, give hook outputs of
 * the documented shapes, compose with the built-in {@code mha} and change what it computes, pass
 * gradients through every parameter it has, and build the same from the same seed. Checks of a
 * hook the encoding does not declare are skipped, visibly.
 *
 * <p>The installed conformance kit has no {@code PositionalContract} yet; once it has, run
 * {@code ablate new-plugin} again to get a test that extends it.
 *
 * <p>Shapes: (B, T, D) = (2, 5, 8) with 2 heads, in double precision.
 */
class {{Class}}ContractTest extends ComponentContract<{{Class}}.Config> {
  private static final int B = 2;
  private static final int T = 5;
  private static final int D = 8;
  private static final int HEADS = 2;

  private final List<Rng> generators = new ArrayList<>();

  @Override
  protected ComponentFactory<{{Class}}.Config, PositionalEncoding> factory() {
    return {{Class}}.FACTORY;
  }

  /** Options as a study writes them; every test runs with the first, some with all. */
  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("slope", 0.5));
  }

  private ModelContext context(long seed) {
    Rng rng = new Rng(seed);
    generators.add(rng);
    return TestModels.context(new Dims(D, HEADS), ModelIO.languageModel(16, T), DataType.DOUBLE, rng);
  }

  private PositionalEncoding build(Map<String, Object> options, ModelContext context) {
    return factory().create(config(options), context.scope("positional"));
  }

  /** The built-in mha, built as an architecture builds it: with this encoding for its hooks. */
  private static Attention mhaWith(PositionalEncoding encoding, ModelContext context) {
    return context.withPositional(encoding).scope("attention").create(Family.ATTENTION, ComponentSpec.of("mha"));
  }

  @AfterEach
  void closeGenerators() {
    generators.forEach(Rng::close);
    generators.clear();
  }

  @Test
  void declaresAHookAndLeavesTheOthersAlone() {
    for (Map<String, Object> options : exampleOptions()) {
      PositionalEncoding encoding = build(options, context(1));
      assertFalse(encoding.hooks().isEmpty(), "an encoding without hooks does nothing; use 'none'");
      Tensor x = Tensor.constant(GradCheck.randn(2, B, T, D));
      Tensor q = Tensor.constant(GradCheck.randn(3, B, HEADS, T, D / HEADS));
      Tensor k = Tensor.constant(GradCheck.randn(4, B, HEADS, T, D / HEADS));
      Tensor embedded = encoding.embed(x);
      PositionalEncoding.QueryKey rotated = encoding.rotate(q, k);
      assertArrayEquals(x.shape(), embedded.shape(), "embed keeps (B, T, D)");
      assertArrayEquals(q.shape(), rotated.query().shape(), "rotate keeps the query shape");
      assertArrayEquals(k.shape(), rotated.key().shape(), "rotate keeps the key shape");
      if (!encoding.hooks().contains(Hook.INPUT)) {
        assertClose(x.value(), embedded.value(), 0.0, "embed without the INPUT hook");
      }
      if (!encoding.hooks().contains(Hook.QUERY_KEY)) {
        assertClose(q.value(), rotated.query().value(), 0.0, "rotate without the QUERY_KEY hook (query)");
        assertClose(k.value(), rotated.key().value(), 0.0, "rotate without the QUERY_KEY hook (key)");
      }
    }
  }

  @Test
  void scoreBiasBroadcastsToTheLogitsForSelfAndCrossLengths() {
    for (Map<String, Object> options : exampleOptions()) {
      PositionalEncoding encoding = build(options, context(5));
      assumeTrue(encoding.hooks().contains(Hook.SCORES), "skipped: no SCORES hook");
      for (int[] lengths : new int[][] {{T, T}, {3, T}, {1, T}}) {
        Tensor q = Tensor.constant(GradCheck.randn(6, B, HEADS, lengths[0], D / HEADS));
        Tensor bias = encoding.scoreBias(q, lengths[1]);
        assertTrue(bias != null, "SCORES declared but scoreBias returned null");
        INDArray logits = Nd4j.zeros(DataType.DOUBLE, B, HEADS, lengths[0], lengths[1]);
        assertArrayEquals(logits.shape(), logits.add(bias.value()).shape(),
            "bias " + java.util.Arrays.toString(bias.shape()) + " broadcast to (B, H, Tq, Tk) for Tq, Tk = "
                + lengths[0] + ", " + lengths[1]);
        assertFinite(bias.value(), "bias");
      }
    }
  }

  @Test
  void composesWithTheBuiltInAttentionAndChangesIt() {
    ModelContext context = context(7);
    PositionalEncoding encoding = build(exampleOptions().get(0), context);
    assumeTrue(encoding.hooks().contains(Hook.QUERY_KEY) || encoding.hooks().contains(Hook.SCORES),
        "skipped: an INPUT-only encoding does not act inside attention");
    Attention with = mhaWith(encoding, context);
    ModelContext same = context(7);
    build(exampleOptions().get(0), same);                  // draws what the encoding draws: mha's weights agree
    Attention without = mhaWith(PositionalEncoding.NONE, same);
    Tensor x = Tensor.constant(GradCheck.randn(8, B, T, D));
    INDArray a = with.forward(x, x, AttentionMask.CAUSAL).value();
    INDArray b = without.forward(x, x, AttentionMask.CAUSAL).value();
    assertFinite(a, "mha output with this encoding");
    assertDiffer(a, b, 1e-9, "mha with this encoding vs without positions");
  }

  @Test
  void gradientsReachTheInputAndEveryParameter() {
    ModelContext context = context(9);
    PositionalEncoding encoding = build(exampleOptions().get(0), context);
    int before = context.store().parameters().list().size();
    Attention attention = mhaWith(encoding, context);
    AttentionMask mask = AttentionMask.CAUSAL;
    var inputs = GradCheck.standard().check(t -> attention.forward(encoding.embed(t[0]), encoding.embed(t[0]), mask),
        GradCheck.randn(10, B, T, D));
    assertTrue(inputs.isEmpty(), "input gradients through the encoding and mha: " + inputs);
    if (before > 0) {
      Tensor x = Tensor.constant(GradCheck.randn(11, B, T, D));
      var params = ParameterGradientCheck.standard().check(context.store().parameters(),
          () -> attention.forward(encoding.embed(x), encoding.embed(x), mask));
      assertTrue(params.isEmpty(), "parameter gradients: " + params);
    }
  }

  @Test
  void sameSeedBuildsTheSameEncoding() {
    Tensor x = Tensor.constant(GradCheck.randn(12, B, T, D));
    Tensor q = Tensor.constant(GradCheck.randn(13, B, HEADS, T, D / HEADS));
    PositionalEncoding first = build(exampleOptions().get(0), context(14));
    PositionalEncoding second = build(exampleOptions().get(0), context(14));
    assertClose(first.embed(x).value(), second.embed(x).value(), 0.0, "embed, two builds with seed 14");
    assertClose(first.rotate(q, q).query().value(), second.rotate(q, q).query().value(), 0.0, "rotate");
    Tensor a = first.scoreBias(q, T);
    Tensor b = second.scoreBias(q, T);
    if (a != null) {
      assertClose(a.value(), b.value(), 0.0, "scoreBias, two builds with seed 14");
    }
  }
}
