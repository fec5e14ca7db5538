package io.ablate.testkit;

import static io.ablate.testkit.ArrayChecks.assertClose;
import static io.ablate.testkit.ArrayChecks.assertDiffer;
import static io.ablate.testkit.ArrayChecks.assertFinite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.Checkpoint;
import io.ablate.core.model.ModelContext;
import io.ablate.core.model.ParameterStore;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.model.Dims;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Normalization;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.check.GradCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The contract of a {@code normalization} component: shape, finite-difference gradients of the input
 * and every parameter in training and evaluation mode, determinism, state that survives a checkpoint,
 * and the behaviours it claims in {@link #capabilities()}.
 *
 * <p>Inputs are (B, T, D) = (2, 5, 8) in double precision; the second row ends in two padding tokens.
 *
 * @param <C> the component's config record
 */
public abstract class NormalizationContract<C extends Record> extends ComponentContract<C> {
  /** Behaviours a normalisation may claim; a test that needs an unclaimed one is skipped, visibly. */
  public enum Capability {
    /** Changing the content of padding positions leaves the outputs at real positions unchanged. */
    PADDING_INVARIANT,
    /** A position's output depends on that position's input only (in training and evaluation). */
    POSITION_WISE,
    /**
     * Training normalises with batch statistics and updates running estimates; evaluation uses the
     * estimates (so it is position-wise) and leaves them alone.
     */
    TRAIN_EVAL_DIFFER,
    /** With its initial parameters, each position's features have mean 0 and variance 1. */
    STANDARDISES_POSITIONS,
    /** With its initial parameters, each position's features have root mean square 1. */
    UNIT_RMS_PER_POSITION,
    /** With its initial parameters, in training, each feature has mean 0 and variance 1 over the real tokens. */
    STANDARDISES_FEATURES_OVER_REAL_TOKENS
  }

  protected static final int B = 2;
  protected static final int T = 5;
  protected static final int D = 8;

  private final List<Rng> generators = new ArrayList<>();

  @Override
  protected abstract ComponentFactory<C, Normalization> factory();

  /** What the component claims; the tests of the others are skipped. */
  protected abstract Set<Capability> capabilities();

  /** A built component with the context (parameters, buffers, run state) it was built in. */
  protected record Built(Normalization norm, ModelContext context) {
    public Tensor forward(INDArray x, INDArray valid) {
      return norm.forward(Tensor.constant(x), valid);
    }

    public ParameterStore store() {
      return context.store();
    }

    public List<Tensor> parameters() {
      return context.store().parameters().list();
    }

    public void train() {
      context.state().train();
    }

    public void eval() {
      context.state().eval();
    }

    /** Runs the check in training mode, then in evaluation mode, then returns to training. */
    public void inBothModes(java.util.function.Consumer<String> check) {
      train();
      check.accept("training");
      eval();
      check.accept("evaluation");
      train();
    }
  }

  /** Builds the component from options, in double precision, with the given seed. */
  protected Built build(Map<String, Object> options, long seed) {
    Rng rng = new Rng(seed);
    generators.add(rng);
    ModelContext context = TestModels.context(new Dims(D, 2), ModelIO.languageModel(16, T), DataType.DOUBLE, rng)
        .scope("norm");
    return new Built(factory().create(config(options), context), context);
  }

  @AfterEach
  void closeGenerators() {
    generators.forEach(Rng::close);
    generators.clear();
  }

  /** (B, T, D) inputs with a non-zero mean and non-unit spread. */
  protected static INDArray input(long seed) {
    return GradCheck.randn(seed, B, T, D).muli(1.5).addi(0.3);
  }

  /** Row 0 is all real tokens; row 1 has three then two padding positions. */
  protected static INDArray valid() {
    return ArrayChecks.rightPadded(T, T, T - 2);
  }

  private Built perturbed(long seed) {
    Built built = build(exampleOptions().get(0), seed);
    ArrayChecks.perturb(built.parameters(), seed + 100, 0.3);
    return built;
  }

  /** Training passes on other inputs, so that running statistics (if any) are not at their initial values. */
  private static void warmUp(Built built) {
    built.train();
    for (int i = 0; i < 3; i++) {
      built.forward(input(50 + i).muli(2).addi(0.5), valid());
    }
  }

  @Test
  void preservesShapeWithAndWithoutPadding() {
    for (Map<String, Object> options : exampleOptions()) {
      Built built = build(options, 1);
      for (INDArray valid : new INDArray[] {valid(), null}) {
        Tensor out = built.forward(input(2), valid);
        assertArrayEquals(new long[] {B, T, D}, out.shape(), "output shape for options " + options);
        assertFinite(out.value(), "output for options " + options);
      }
    }
  }

  @Test
  void inputAndParameterGradientsMatchFiniteDifferences() {
    Built built = perturbed(3);
    warmUp(built);
    INDArray x = input(4);
    INDArray valid = valid();
    built.inBothModes(mode -> {
      var inputMismatches = GradCheck.standard().check(t -> built.norm().forward(t[0], valid), x);
      assertTrue(inputMismatches.isEmpty(), "input gradient in " + mode + ": " + inputMismatches);
      if (!built.parameters().isEmpty()) {
        var mismatches = ParameterGradientCheck.standard().check(built.store().parameters(),
            () -> built.forward(x, valid));
        assertTrue(mismatches.isEmpty(), "parameter gradients in " + mode + ": " + mismatches);
      }
    });
  }

  @Test
  void sameSeedGivesTheSameOutput() {
    INDArray x = input(5);
    Built first = perturbed(6);
    Built second = perturbed(6);
    assertClose(first.forward(x, valid()).value(), second.forward(x, valid()).value(), 0.0, "two builds, seed 6");
  }

  @Test
  void parametersAndBuffersSurviveACheckpoint(@TempDir Path dir) throws IOException {
    Built saved = perturbed(7);
    warmUp(saved);
    saved.eval();
    INDArray x = input(8);
    INDArray expected = saved.forward(x, valid()).value();
    Path file = dir.resolve("norm.ckpt");
    Checkpoint.save(saved.store(), file);

    Built restored = build(exampleOptions().get(0), 9);
    restored.eval();
    Checkpoint.load(restored.store(), file);
    assertClose(expected, restored.forward(x, valid()).value(), 0.0, "evaluation output after save → load");
    restored.train();
    saved.train();
    assertClose(saved.forward(x, valid()).value(), restored.forward(x, valid()).value(), 0.0,
        "training output after save → load");
  }

  @Test
  void paddingContentDoesNotReachRealPositions() {
    Capabilities.require(capabilities(), Capability.PADDING_INVARIANT, factory().name());
    Built built = perturbed(10);
    warmUp(built);
    INDArray valid = valid();
    INDArray x = input(11);
    INDArray other = x.dup();
    INDArray pad = other.get(NDArrayIndex.point(1), NDArrayIndex.interval(T - 2, T), NDArrayIndex.all());
    pad.assign(GradCheck.randn(12, 2, D).muli(100));
    built.inBothModes(mode -> {
      INDArray a = built.forward(x, valid).value();
      INDArray b = built.forward(other, valid).value();
      INDArray keep = valid.reshape(B, T, 1);
      assertClose(a.mul(keep), b.mul(keep), 1e-12, "real positions when padding changes (" + mode + ")");
    });
  }

  @Test
  void eachPositionIsNormalisedOnItsOwn() {
    Capabilities.require(capabilities(), Capability.POSITION_WISE, factory().name());
    Built built = perturbed(13);
    warmUp(built);
    built.inBothModes(mode -> assertOnlyChangedPositionMoves(built, mode));
  }

  private static void assertOnlyChangedPositionMoves(Built built, String mode) {
    INDArray x = input(14);
    INDArray other = x.dup();
    other.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all()).addi(GradCheck.randn(15, D));
    INDArray a = built.forward(x, null).value();
    INDArray b = built.forward(other, null).value();
    INDArray others = org.nd4j.linalg.factory.Nd4j.ones(DataType.DOUBLE, B, T, 1);
    others.putScalar(0, 1, 0, 0.0);
    assertClose(a.mul(others), b.mul(others), 1e-12, "other positions when position (0, 1) changes in " + mode);
    assertDiffer(a, b, 1e-6, "the changed position in " + mode);
  }

  @Test
  void evaluationUsesRunningStatisticsThatOnlyTrainingUpdates() {
    Capabilities.require(capabilities(), Capability.TRAIN_EVAL_DIFFER, factory().name());
    Built built = perturbed(15);
    Map<String, INDArray> initial = snapshot(built.store());
    assertTrue(!initial.isEmpty(), "claims TRAIN_EVAL_DIFFER but has no buffers for its running statistics");
    warmUp(built);
    Map<String, INDArray> trained = snapshot(built.store());
    for (String name : initial.keySet()) {
      assertDiffer(initial.get(name), trained.get(name), 1e-6, "buffer '" + name + "' after training passes");
    }

    INDArray x = input(16);
    INDArray trainingOutput = built.forward(x, valid()).value();
    built.eval();
    Map<String, INDArray> beforeEvaluation = snapshot(built.store());
    INDArray evalOutput = built.forward(x, valid()).value();
    assertDiffer(trainingOutput, evalOutput, 1e-3, "training vs evaluation output");
    for (Map.Entry<String, INDArray> e : snapshot(built.store()).entrySet()) {
      assertClose(beforeEvaluation.get(e.getKey()), e.getValue(), 0.0,
          "buffer '" + e.getKey() + "' after an evaluation pass");
    }
    assertOnlyChangedPositionMoves(built, "evaluation");
  }

  @Test
  void initialOutputHasZeroMeanAndUnitVariancePerPosition() {
    Capabilities.require(capabilities(), Capability.STANDARDISES_POSITIONS, factory().name());
    INDArray out = build(exampleOptions().get(0), 17).forward(input(18), null).value();   // (B, T, D)
    INDArray mean = out.mean(true, 2);
    INDArray variance = out.sub(mean).muli(out.sub(mean)).mean(2);
    assertTrue(org.nd4j.linalg.ops.transforms.Transforms.abs(mean).maxNumber().doubleValue() < 1e-9,
        "per-position means " + mean);
    assertTrue(org.nd4j.linalg.ops.transforms.Transforms.abs(variance.subi(1)).maxNumber().doubleValue() < 1e-4,
        "per-position variances − 1: " + variance);
  }

  @Test
  void initialOutputHasUnitRootMeanSquarePerPosition() {
    Capabilities.require(capabilities(), Capability.UNIT_RMS_PER_POSITION, factory().name());
    INDArray out = build(exampleOptions().get(0), 19).forward(input(20), null).value();   // (B, T, D)
    INDArray meanSquare = out.mul(out).mean(2);
    assertTrue(org.nd4j.linalg.ops.transforms.Transforms.abs(meanSquare.subi(1)).maxNumber().doubleValue() < 1e-4,
        "per-position mean squares − 1: " + meanSquare);
  }

  @Test
  void initialTrainingOutputStandardisesEachFeatureOverRealTokens() {
    Capabilities.require(capabilities(), Capability.STANDARDISES_FEATURES_OVER_REAL_TOKENS, factory().name());
    Built built = build(exampleOptions().get(0), 21);
    built.train();
    INDArray valid = valid();
    INDArray out = built.forward(input(22), valid).value();                       // (B, T, D)
    double count = valid.sumNumber().doubleValue();
    INDArray w = valid.reshape(B, T, 1);
    INDArray mean = out.mul(w).sum(0, 1).divi(count);                              // (D)
    INDArray centred = out.sub(mean.reshape(1, 1, D)).muli(w);
    INDArray variance = centred.mul(centred).sum(0, 1).divi(count);
    assertEquals(0.0, org.nd4j.linalg.ops.transforms.Transforms.abs(mean).maxNumber().doubleValue(), 1e-9,
        "per-feature means over real tokens " + mean);
    assertEquals(0.0, org.nd4j.linalg.ops.transforms.Transforms.abs(variance.subi(1)).maxNumber().doubleValue(), 1e-4,
        "per-feature variances − 1 over real tokens " + variance);
  }

  private static Map<String, INDArray> snapshot(ParameterStore store) {
    Map<String, INDArray> copy = new LinkedHashMap<>();
    store.buffers().forEach((name, array) -> copy.put(name, array.dup()));
    return copy;
  }
}
