package io.ablate.testkit;

import static io.ablate.testkit.ArrayChecks.assertClose;
import static io.ablate.testkit.ArrayChecks.assertDiffer;
import static io.ablate.testkit.ArrayChecks.assertFinite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.ModelContext;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.FeedForward;
import io.ablate.spi.model.ModelIO;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The contract of a {@code feedforward} component: shape, finite-difference gradients of the input
 * and every parameter, position-wise action (permuting positions permutes outputs; a position's
 * output depends on that position only), every parameter in use, and seeded initialisation.
 * Evaluation mode throughout, so configured dropout does not interfere.
 *
 * <p>Inputs are (B, T, D) = (2, 4, 8) in double precision.
 *
 * @param <C> the component's config record
 */
public abstract class FeedForwardContract<C extends Record> extends ComponentContract<C> {
  protected static final int B = 2;
  protected static final int T = 4;
  protected static final int D = 8;

  private final List<Rng> generators = new ArrayList<>();

  @Override
  protected abstract ComponentFactory<C, FeedForward> factory();

  /** A built component with the context it was built in. */
  protected record Built(FeedForward ffn, ModelContext context) {
    public Tensor forward(INDArray x) {
      return ffn.forward(Tensor.constant(x));
    }

    public List<Tensor> parameters() {
      return context.store().parameters().list();
    }
  }

  /** Builds the component from options, in double precision and evaluation mode, with the given seed. */
  protected Built build(Map<String, Object> options, long seed) {
    Rng rng = new Rng(seed);
    generators.add(rng);
    ModelContext context = TestModels.context(new Dims(D, 2), ModelIO.languageModel(16, T), DataType.DOUBLE, rng)
        .scope("ffn");
    context.state().eval();
    return new Built(factory().create(config(options), context), context);
  }

  @AfterEach
  void closeGenerators() {
    generators.forEach(Rng::close);
    generators.clear();
  }

  /** (B, T, D) inputs; scaled so that activations see both signs and their non-linear range. */
  protected static INDArray input(long seed) {
    return GradCheck.randn(seed, B, T, D).muli(2.0);
  }

  /** Weights scaled up from a small initialisation so that the hidden units leave their linear regime. */
  private Built scaled(long seed) {
    Built built = build(exampleOptions().get(0), seed);
    ArrayChecks.perturb(built.parameters(), seed + 100, 0.3);
    return built;
  }

  @Test
  void mapsEachPositionToModelWidth() {
    for (Map<String, Object> options : exampleOptions()) {
      Tensor out = build(options, 1).forward(input(2));
      assertArrayEquals(new long[] {B, T, D}, out.shape(), "output shape for options " + options);
      assertFinite(out.value(), "output for options " + options);
    }
  }

  @Test
  void inputAndParameterGradientsMatchFiniteDifferences() {
    Built built = scaled(3);
    INDArray x = input(4);
    var inputMismatches = GradCheck.standard().check(t -> built.ffn().forward(t[0]), x);
    assertTrue(inputMismatches.isEmpty(), "input gradient: " + inputMismatches);
    assertFalse(built.parameters().isEmpty(), "a feed-forward layer without parameters");
    var mismatches = ParameterGradientCheck.standard().check(built.context().store().parameters(),
        () -> built.forward(x));
    assertTrue(mismatches.isEmpty(), "parameter gradients: " + mismatches);
    for (Tensor p : built.parameters()) {
      assertTrue(p.gradOrNull() != null && p.gradOrNull().norm2Number().doubleValue() > 0,
          "parameter '" + p.name() + "' gets no gradient: it does not take part in the output");
    }
  }

  @Test
  void permutingPositionsPermutesOutputs() {
    Built built = scaled(5);
    INDArray x = input(6);
    int[] order = {2, 0, 3, 1};
    INDArray permuted = Nd4j.zeros(DataType.DOUBLE, B, T, D);
    for (int t = 0; t < T; t++) {
      permuted.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all())
          .assign(x.get(NDArrayIndex.all(), NDArrayIndex.point(order[t]), NDArrayIndex.all()));
    }
    INDArray out = built.forward(x).value();
    INDArray outOfPermuted = built.forward(permuted).value();
    for (int t = 0; t < T; t++) {
      assertClose(out.get(NDArrayIndex.all(), NDArrayIndex.point(order[t]), NDArrayIndex.all()),
          outOfPermuted.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()), 1e-12,
          "output at permuted position " + t);
    }
  }

  @Test
  void aPositionsOutputDependsOnItsInputOnly() {
    Built built = scaled(7);
    INDArray x = input(8);
    INDArray other = x.dup();
    other.get(NDArrayIndex.point(1), NDArrayIndex.point(2), NDArrayIndex.all()).addi(1.0);
    INDArray a = built.forward(x).value();
    INDArray b = built.forward(other).value();
    INDArray others = Nd4j.ones(DataType.DOUBLE, B, T, 1);
    others.putScalar(1, 2, 0, 0.0);
    assertClose(a.mul(others), b.mul(others), 1e-12, "other positions when position (1, 2) changes");
    assertDiffer(a, b, 1e-6, "the changed position");
  }

  @Test
  void sameSeedSameOutputAndAnotherSeedAnother() {
    INDArray x = input(9);
    INDArray first = build(exampleOptions().get(0), 10).forward(x).value();
    assertClose(first, build(exampleOptions().get(0), 10).forward(x).value(), 0.0, "two builds, seed 10");
    assertDiffer(first, build(exampleOptions().get(0), 11).forward(x).value(), 1e-9, "seeds 10 and 11");
    Built built = build(exampleOptions().get(0), 10);
    assertClose(built.forward(x).value(), built.forward(x).value(), 0.0, "two evaluation passes");
  }
}
