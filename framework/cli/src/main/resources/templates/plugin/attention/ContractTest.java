package {{package}};

import static io.ablate.testkit.ArrayChecks.assertClose;
import static io.ablate.testkit.ArrayChecks.assertDiffer;
import static io.ablate.testkit.ArrayChecks.assertFinite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Attention;
import io.ablate.spi.model.AttentionMask;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.PositionalEncoding;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import io.ablate.testkit.ArrayChecks;
import io.ablate.testkit.ComponentContract;
import io.ablate.testkit.ParameterGradientCheck;
import io.ablate.testkit.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The conformance kit's checks for every component (inherited from {@link ComponentContract}: name,
 * config round-trip, unknown keys rejected, registration under its name), plus what every attention
 * must do: shapes for self- and cross-attention, no leakage from later positions under a causal
 * mask, padded keys ignored, finite-difference gradients of the inputs and of every parameter,
 * seeded initialisation, both positional hooks applied, weights captured. What makes this variant
 * different is tested in {@code {{Class}}Test}.
 *
 * <p>The installed conformance kit has no {@code AttentionContract} yet; once it has, run
 * {@code ablate new-plugin} again to get a test that extends it.
 *
 * <p>Inputs are (B, T, D) = (2, 5, 8) with 2 heads, in double precision.
 */
class {{Class}}ContractTest extends ComponentContract<{{Class}}.Config> {
  private static final int B = 2;
  private static final int T = 5;
  private static final int D = 8;
  private static final int HEADS = 2;

  private final List<Rng> generators = new ArrayList<>();

  @Override
  protected ComponentFactory<{{Class}}.Config, Attention> factory() {
    return {{Class}}.FACTORY;
  }

  /** Options as a study writes them; every test runs with the first, some with all. */
  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("temperature", 0.5, "bias", false));
  }

  private record Built(Attention attention, ModelContext context) {
    Tensor self(INDArray x, AttentionMask mask) {
      Tensor t = Tensor.constant(x);
      return attention.forward(t, t, mask);
    }
  }

  /** Builds the component as a model would, in double precision, with a positional encoding to apply. */
  private Built build(Map<String, Object> options, long seed, PositionalEncoding positional) {
    Rng rng = new Rng(seed);
    generators.add(rng);
    ModelContext context = TestModels.context(new Dims(D, HEADS), ModelIO.languageModel(16, T), DataType.DOUBLE, rng)
        .withPositional(positional).scope("attention");
    return new Built(factory().create(config(options), context), context);
  }

  /** Parameters moved away from their initial values, so that checks do not run at a special point. */
  private Built perturbed(long seed, PositionalEncoding positional) {
    Built built = build(exampleOptions().get(0), seed, positional);
    ArrayChecks.perturb(built.context().store().parameters().list(), seed + 100, 0.3);
    return built;
  }

  @AfterEach
  void closeGenerators() {
    generators.forEach(Rng::close);
    generators.clear();
  }

  private static INDArray input(long seed, int t) {
    return GradCheck.randn(seed, B, t, D);
  }

  @Test
  void selfAndCrossAttentionKeepTheQueryShape() {
    for (Map<String, Object> options : exampleOptions()) {
      Built built = build(options, 1, PositionalEncoding.NONE);
      Tensor self = built.self(input(2, T), AttentionMask.CAUSAL);
      assertArrayEquals(new long[] {B, T, D}, self.shape(), "self-attention output for " + options);
      Tensor cross = built.attention().forward(Tensor.constant(input(3, 3)), Tensor.constant(input(4, T)),
          AttentionMask.NONE);
      assertArrayEquals(new long[] {B, 3, D}, cross.shape(), "cross-attention output for " + options);
      assertFinite(self.value(), "self-attention output");
      assertFinite(cross.value(), "cross-attention output");
    }
  }

  @Test
  void causalMaskHidesLaterPositions() {
    Built built = perturbed(5, PositionalEncoding.NONE);
    INDArray x = input(6, T);
    INDArray later = x.dup();
    later.get(NDArrayIndex.all(), NDArrayIndex.interval(3, T), NDArrayIndex.all()).addi(GradCheck.randn(7, B, 2, D));
    INDArray a = built.self(x, AttentionMask.CAUSAL).value();
    INDArray b = built.self(later, AttentionMask.CAUSAL).value();
    assertClose(a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all()),
        b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all()), 1e-12,
        "outputs at positions 0–2 when positions 3–4 change");
    assertDiffer(a, b, 1e-6, "outputs at the changed positions");
  }

  @Test
  void paddedKeysDoNotReachTheOutput() {
    Built built = perturbed(8, PositionalEncoding.NONE);
    INDArray valid = ArrayChecks.rightPadded(T, T, T - 2);                   // row 1 ends in 2 padded keys
    INDArray memory = input(9, T);
    INDArray otherPadding = memory.dup();
    otherPadding.get(NDArrayIndex.point(1), NDArrayIndex.interval(T - 2, T), NDArrayIndex.all())
        .assign(GradCheck.randn(10, 2, D).muli(100));
    Tensor query = Tensor.constant(input(11, 3));
    INDArray a = built.attention().forward(query, Tensor.constant(memory), AttentionMask.padding(valid)).value();
    INDArray b = built.attention().forward(query, Tensor.constant(otherPadding), AttentionMask.padding(valid)).value();
    assertClose(a, b, 1e-12, "outputs when the content of padded keys changes");
  }

  @Test
  void inputAndParameterGradientsMatchFiniteDifferences() {
    Built built = perturbed(12, PositionalEncoding.NONE);
    AttentionMask mask = new AttentionMask(true, ArrayChecks.rightPadded(T, T, T - 1));
    INDArray query = input(13, T);
    INDArray memory = input(14, T);
    var inputs = GradCheck.standard().check(t -> built.attention().forward(t[0], t[1], mask), query, memory);
    assertTrue(inputs.isEmpty(), "input gradients: " + inputs);
    var params = ParameterGradientCheck.standard().check(built.context().store().parameters(),
        () -> built.attention().forward(Tensor.constant(query), Tensor.constant(memory), mask));
    assertTrue(params.isEmpty(), "parameter gradients: " + params);
  }

  @Test
  void sameSeedSameOutputAndAnotherSeedAnother() {
    INDArray x = input(15, T);
    Map<String, Object> options = exampleOptions().get(0);
    INDArray first = build(options, 16, PositionalEncoding.NONE).self(x, AttentionMask.CAUSAL).value();
    assertClose(first, build(options, 16, PositionalEncoding.NONE).self(x, AttentionMask.CAUSAL).value(), 0.0,
        "two builds with seed 16");
    assertDiffer(first, build(options, 17, PositionalEncoding.NONE).self(x, AttentionMask.CAUSAL).value(), 1e-9,
        "seeds 16 and 17");
  }

  /** A SCORES hook that lets query i see key i only: the output at i must then depend on input i alone. */
  @Test
  void appliesTheScoreHookOfItsPositionalEncoding() {
    PositionalEncoding diagonal = new PositionalEncoding() {
      @Override
      public Set<Hook> hooks() {
        return Set.of(Hook.SCORES);
      }

      @Override
      public Tensor scoreBias(Tensor query, int keyLength) {
        INDArray eye = Nd4j.eye(keyLength).castTo(query.dataType());
        return Tensor.constant(eye.rsub(1).muli(-1e9).reshape(1, 1, keyLength, keyLength));   // (1, 1, T, T)
      }
    };
    Built built = perturbed(18, diagonal);
    INDArray x = input(19, T);
    INDArray changed = x.dup();
    changed.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all()).addi(1.0);
    INDArray a = built.self(x, AttentionMask.NONE).value();
    INDArray b = built.self(changed, AttentionMask.NONE).value();
    INDArray others = Nd4j.ones(DataType.DOUBLE, 1, T, 1);
    others.putScalar(0, 2, 0, 0.0);
    assertClose(a.mul(others), b.mul(others), 1e-9, "outputs at other positions when position 2 changes");
    assertDiffer(a, b, 1e-6, "the output at position 2");
  }

  /** A QUERY_KEY hook that zeroes the keys: every query then attends uniformly, so all positions agree. */
  @Test
  void appliesTheQueryKeyHookOfItsPositionalEncoding() {
    List<long[]> seen = new ArrayList<>();
    PositionalEncoding zeroKeys = new PositionalEncoding() {
      @Override
      public Set<Hook> hooks() {
        return Set.of(Hook.QUERY_KEY);
      }

      @Override
      public QueryKey rotate(Tensor query, Tensor key) {
        seen.add(query.shape());
        seen.add(key.shape());
        return new QueryKey(query, key.mul(0.0));
      }
    };
    INDArray out = perturbed(20, zeroKeys).self(input(21, T), AttentionMask.NONE).value();   // (B, T, D)
    assertEquals(2, seen.size(), "rotate called once per forward pass");
    assertArrayEquals(new long[] {B, HEADS, T, D / HEADS}, seen.get(0), "query shape given to the hook");
    assertArrayEquals(new long[] {B, HEADS, T, D / HEADS}, seen.get(1), "key shape given to the hook");
    INDArray first = out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all());
    for (int t = 1; t < T; t++) {
      assertClose(first, out.get(NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1), NDArrayIndex.all()), 1e-12,
          "output at position " + t + " with uniform attention");
    }
  }

  @Test
  void capturesAttentionWeightsWhenAsked() {
    Built built = build(exampleOptions().get(0), 22, PositionalEncoding.NONE);
    List<String> layers = new ArrayList<>();
    List<INDArray> weights = new ArrayList<>();
    built.context().state().capture((layer, w) -> {
      layers.add(layer);
      weights.add(w);
    });
    built.self(input(23, T), AttentionMask.CAUSAL);
    built.context().state().capture(null);
    built.self(input(23, T), AttentionMask.CAUSAL);
    assertEquals(List.of("attention"), layers, "one capture, named after the layer");
    assertArrayEquals(new long[] {B, HEADS, T, T}, weights.get(0).shape(), "captured weights (B, H, Tq, Tk)");
    assertClose(Nd4j.ones(DataType.DOUBLE, B, HEADS, T), weights.get(0).sum(3), 1e-12, "each row of weights sums to 1");
  }
}
