package io.ablate.testkit;

import static io.ablate.testkit.ArrayChecks.assertClose;
import static io.ablate.testkit.ArrayChecks.assertDiffer;
import static io.ablate.testkit.ArrayChecks.assertFinite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.Checkpoint;
import io.ablate.core.model.ModelBuilder;
import io.ablate.spi.ComponentFactory;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Decoding;
import io.ablate.spi.model.Generator;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.spi.text.SpecialToken;
import io.ablate.spi.text.TokenCorpus;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The contract of an {@code architecture}: built by name from tiny options, in double precision, it
 * gives logits of the objective's shape and a finite near-uniform initial loss; every parameter's
 * gradient matches finite differences; the same seed builds the same model and another seed another;
 * it overfits one small batch; a checkpoint restores it exactly into a model built with another seed.
 * Claimed {@link Capability capabilities} add causality, padding, permutation and generation checks.
 *
 * <p>Where a check compares two forward passes it does so in training and in evaluation mode, so the
 * tiny options must not use dropout.
 *
 * @param <C> the architecture's config record
 */
public abstract class ArchitectureContract<C extends Record> extends ComponentContract<C> {
  /** Behaviours an architecture may claim; a test that needs an unclaimed one is skipped, visibly. */
  public enum Capability {
    /** Changing tokens after position t leaves the logits at positions ≤ t unchanged. */
    CAUSAL,
    /** Changing padded tokens leaves the outputs at real positions (and class logits) unchanged. */
    PADDING,
    /**
     * With positional {@code none}, permuting the inputs after position 0 permutes per-token logits
     * the same way and leaves class logits unchanged.
     */
    PERMUTATION_EQUIVARIANT_WITHOUT_POSITIONS,
    /** Implements {@link Generator}: ids in range, greedy deterministic, stops after [EOS], bounded length. */
    GENERATES
  }

  private static final double SAME = 1e-12;

  private final List<BuiltModel> built = new ArrayList<>();

  @Override
  protected abstract ComponentFactory<C, Model> factory();

  /** What the architecture claims; the tests of the others are skipped. */
  protected abstract Set<Capability> capabilities();

  /** Options of a tiny model (D ≤ 16, 1–2 layers), without dropout. */
  protected abstract Map<String, Object> tinyOptions();

  /** What the model reads and predicts (small vocabulary or class count, short length). */
  protected abstract ModelIO io();

  /**
   * A small batch for {@link #io()} (B = 2, T ≤ 8), the same for the same seed. When the model claims
   * {@link Capability#PADDING}, some positions must be padding.
   */
  protected abstract Batch batch(long seed);

  /** The prompt for generation: by default the first three tokens of {@code batch(seed)} for language models. */
  protected Batch prompt(long seed) {
    Batch b = batch(seed);
    if (io().objective() != Objective.LANGUAGE_MODEL) {
      return b;
    }
    INDArray tokens = b.tokens().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup();
    return Batch.languageModel(tokens, null);
  }

  /** Adam steps allowed to overfit one batch. */
  protected int overfitSteps() {
    return 60;
  }

  protected double overfitLearningRate() {
    return 1e-2;
  }

  /** The loss must end below this fraction of its initial value. */
  protected double overfitFraction() {
    return 0.2;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(tinyOptions());
  }

  /** Builds the architecture by name, in double precision. */
  protected BuiltModel build(Map<String, Object> options, long seed) {
    BuiltModel model = new ModelBuilder(TestModels.registry())
        .build(new ComponentSpec(factory().name(), options), io(), seed, TokenCorpus.EMPTY, DataType.DOUBLE);
    built.add(model);
    return model;
  }

  protected BuiltModel build(long seed) {
    return build(tinyOptions(), seed);
  }

  @AfterEach
  void closeModels() {
    built.forEach(BuiltModel::close);
    built.clear();
  }

  // ---- always ---------------------------------------------------------------------------------

  @Test
  void logitsHaveTheShapeOfTheObjective() {
    BuiltModel m = build(1);
    assertTrue(m.model().objectives().contains(io().objective()), "objectives " + m.model().objectives());
    Batch batch = batch(2);
    Tensor logits = m.model().logits(batch);
    long b = batch.size();
    long[] expected = switch (io().objective()) {
      case LANGUAGE_MODEL, MASKED_LM -> new long[] {b, batch.tokens().size(1), io().vocabSize()};
      case SEQ2SEQ -> new long[] {b, batch.decoderTokens().size(1), io().vocabSize()};
      case CLASSIFICATION, IMAGE_CLASSIFICATION -> new long[] {b, io().classes()};
    };
    assertArrayEquals(expected, logits.shape(), "logits shape");
    assertFinite(logits.value(), "logits");
  }

  @Test
  void initialLossIsFiniteAndCloseToUniformGuessing() {
    double loss = build(3).model().loss(batch(4)).item();
    double uniform = Math.log(outputs());
    assertTrue(Double.isFinite(loss) && loss > 0, "initial loss " + loss);
    assertEquals(uniform, loss, 0.5, "initial loss vs ln(" + outputs() + ")");
  }

  @Test
  void everyParameterGradientMatchesFiniteDifferences() {
    BuiltModel m = build(5);
    Batch batch = batch(6);
    var check = new ParameterGradientCheck(1e-6, 1e-5, 1e-8, 4);
    var mismatches = check.check(m.params().parameters(), () -> m.model().logits(batch));
    assertTrue(mismatches.isEmpty(), "parameter gradients: " + mismatches);

    m.params().parameters().zeroGrad();
    m.model().loss(batch).backward();
    for (Tensor p : m.params().parameters().list()) {
      assertTrue(p.grad().norm2Number().doubleValue() > 0, "parameter '" + p.name() + "' gets no gradient from the loss");
    }
  }

  @Test
  void sameSeedBuildsTheSameModelAndAnotherSeedAnother() {
    Batch batch = batch(7);
    BuiltModel first = build(8);
    BuiltModel again = build(8);
    BuiltModel other = build(9);
    assertClose(first.params().parameters().values(), again.params().parameters().values(), 0.0, "parameters, seed 8");
    assertClose(first.model().logits(batch).value(), again.model().logits(batch).value(), 0.0, "logits, seed 8");
    assertDiffer(first.params().parameters().values(), other.params().parameters().values(), 1e-6,
        "parameters, seeds 8 and 9");
  }

  @Test
  void overfitsOneBatch() {
    BuiltModel m = build(10);
    Batch batch = batch(11);
    Adam adam = Adam.adamW(m.params().parameters(), 0.0);
    double first = Double.NaN;
    double last = Double.NaN;
    for (int step = 0; step < overfitSteps(); step++) {
      m.params().parameters().zeroGrad();
      Tensor loss = m.model().loss(batch);
      last = loss.item();
      if (step == 0) {
        first = last;
      }
      loss.backward();
      adam.step(overfitLearningRate());
    }
    assertTrue(last < overfitFraction() * first, "loss " + first + " → " + last + " after " + overfitSteps()
        + " steps; expected below " + overfitFraction() + " of the start");
  }

  @Test
  void checkpointRestoresTheModelExactly(@TempDir Path dir) throws IOException {
    Batch batch = batch(12);
    BuiltModel saved = build(13);
    Adam adam = Adam.adamW(saved.params().parameters(), 0.0);
    for (int step = 0; step < 3; step++) {                    // move parameters and running statistics
      saved.params().parameters().zeroGrad();
      saved.model().loss(batch).backward();
      adam.step(1e-2);
    }
    saved.state().eval();
    INDArray expected = saved.model().logits(batch).value();
    Path file = dir.resolve("model.ckpt");
    Checkpoint.save(saved.params(), file);

    BuiltModel restored = build(14);
    restored.state().eval();
    assertDiffer(expected, restored.model().logits(batch).value(), 1e-9, "a model built with another seed");
    Checkpoint.load(restored.params(), file);
    assertClose(expected, restored.model().logits(batch).value(), 0.0, "evaluation logits after save → load");
    saved.state().train();
    restored.state().train();
    assertClose(saved.model().logits(batch).value(), restored.model().logits(batch).value(), 0.0,
        "training logits after save → load");
  }

  // ---- claimed ----------------------------------------------------------------------------------

  @Test
  void futureTokensDoNotChangeEarlierLogits() {
    Capabilities.require(capabilities(), Capability.CAUSAL, factory().name());
    BuiltModel m = build(15);
    Batch batch = batch(16);
    INDArray sequence = sequence(batch);
    long length = sequence.size(1);
    long t = length / 2;
    INDArray changed = sequence.dup();
    INDArray future = changed.get(NDArrayIndex.all(), NDArrayIndex.interval(t + 1, length));
    future.assign(otherIds(future));
    Batch altered = withSequence(batch, changed);
    inBothModes(m, mode -> {
      INDArray a = m.model().logits(batch).value();
      INDArray b = m.model().logits(altered).value();
      INDArrayIndex[] past = {NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1), NDArrayIndex.all()};
      assertClose(a.get(past), b.get(past), SAME, "logits at positions ≤ " + t + " when later tokens change (" + mode + ")");
      assertDiffer(a, b, 1e-9, "logits after position " + t + " (" + mode + ")");
    });
  }

  @Test
  void paddedTokensDoNotChangeRealOutputs() {
    Capabilities.require(capabilities(), Capability.PADDING, factory().name());
    BuiltModel m = build(17);
    Batch batch = batch(18);
    INDArray mask = batch.objective() == Objective.SEQ2SEQ ? batch.decoderMask() : batch.tokenMask();
    assertTrue(batch.tokenMask() != null && batch.tokenMask().minNumber().doubleValue() == 0,
        "claims PADDING: batch(seed) must contain padding");
    Batch altered = new Batch(batch.objective(), replacePadding(batch.tokens(), batch.tokenMask()), batch.tokenMask(),
        batch.targets(), batch.decoderTokens() == null ? null : replacePadding(batch.decoderTokens(), batch.decoderMask()),
        batch.decoderMask(), batch.patches());
    inBothModes(m, mode -> {
      INDArray a = m.model().logits(batch).value();
      INDArray b = m.model().logits(altered).value();
      if (a.rank() == 3 && mask != null) {
        INDArray keep = mask.castTo(DataType.DOUBLE).reshape(mask.size(0), mask.size(1), 1);
        a = a.mul(keep);
        b = b.mul(keep);
      }
      assertClose(a, b, SAME, "outputs at real positions when padded tokens change (" + mode + ")");
    });
  }

  @Test
  void withoutPositionsPermutingInputsPermutesOutputs() {
    Capabilities.require(capabilities(), Capability.PERMUTATION_EQUIVARIANT_WITHOUT_POSITIONS, factory().name());
    Map<String, Object> options = new LinkedHashMap<>(tinyOptions());
    options.put("positional", "none");
    BuiltModel m = build(options, 19);
    Batch batch = batch(20);
    long length = batch.patches() != null ? batch.patches().size(1) : batch.tokens().size(1);
    int[] order = new int[(int) length];                       // position 0 stays, the rest reversed
    for (int i = 1; i < length; i++) {
      order[i] = (int) length - i;
    }
    Batch permuted = new Batch(batch.objective(), permute(batch.tokens(), order), permute(batch.tokenMask(), order),
        batch.targets() != null && batch.targets().rank() == 2 ? permute(batch.targets(), order) : batch.targets(),
        batch.decoderTokens(), batch.decoderMask(), permute(batch.patches(), order));
    inBothModes(m, mode -> {
      INDArray a = m.model().logits(batch).value();
      INDArray b = m.model().logits(permuted).value();
      INDArray expected = a.rank() == 3 ? permute(a, order) : a;
      assertClose(expected, b, 1e-10, "outputs of permuted inputs (" + mode + ")");
    });
  }

  @Test
  void generatesInRangeDeterministicallyAndWithinBounds() {
    Capabilities.require(capabilities(), Capability.GENERATES, factory().name());
    BuiltModel m = build(21);
    Generator generator = generator(m);
    Batch prompt = prompt(22);
    int budget = io().maxLength() + 4;
    int[][] greedy = generator.generate(prompt, Decoding.greedy(budget));
    assertTrue(m.state().training(), "generation must restore training mode");
    long limit = io().objective() == Objective.LANGUAGE_MODEL ? io().maxLength() - prompt.tokens().size(1)
        : io().maxLength();
    assertEquals(prompt.size(), greedy.length, "one row per prompt");
    for (int[] row : greedy) {
      assertTrue(row.length >= 1 && row.length <= limit, "generated " + row.length + " tokens, limit " + limit);
      for (int i = 0; i < row.length; i++) {
        assertTrue(row[i] >= 0 && row[i] < io().vocabSize(), "id " + row[i] + " out of range");
        assertTrue(row[i] != SpecialToken.EOS.id() || i == row.length - 1, "tokens after [EOS]");
      }
    }
    assertArrayEquals(greedy, generator.generate(prompt, Decoding.greedy(budget)), "greedy twice");
    assertArrayEquals(greedy, generator.generate(prompt, Decoding.sample(budget, 1.0, 1, 99)), "top-1 sampling");
    assertArrayEquals(generator.generate(prompt, Decoding.sample(budget, 1.5, 0, 5)),
        generator.generate(prompt, Decoding.sample(budget, 1.5, 0, 5)), "sampling twice with seed 5");
    int[][] short2 = generator.generate(prompt, Decoding.greedy(2));
    for (int[] row : short2) {
      assertTrue(row.length <= 2, "max_new_tokens 2, generated " + row.length);
    }
  }

  @Test
  void generationStopsAfterEos() {
    Capabilities.require(capabilities(), Capability.GENERATES, factory().name());
    BuiltModel m = build(23);
    Batch batch = batch(24);
    INDArray eos = batch.targets().dup();
    for (long i = 0; i < eos.length(); i++) {
      if (eos.getLong(i) != Batch.IGNORE) {
        eos.putScalar(i, SpecialToken.EOS.id());
      }
    }
    Batch toEos = new Batch(batch.objective(), batch.tokens(), batch.tokenMask(), eos, batch.decoderTokens(),
        batch.decoderMask(), batch.patches());
    Adam adam = Adam.adamW(m.params().parameters(), 0.0);
    for (int step = 0; step < 40; step++) {
      m.params().parameters().zeroGrad();
      m.model().loss(toEos).backward();
      adam.step(3e-2);
    }
    int[][] out = generator(m).generate(prompt(22), Decoding.greedy(5));
    for (int[] row : out) {
      assertArrayEquals(new int[] {SpecialToken.EOS.id()}, row, "a model that always predicts [EOS] stops at once");
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private int outputs() {
    return switch (io().objective()) {
      case CLASSIFICATION, IMAGE_CLASSIFICATION -> io().classes();
      default -> io().vocabSize();
    };
  }

  private static Generator generator(BuiltModel m) {
    assertTrue(m.model() instanceof Generator, "claims GENERATES but does not implement Generator");
    return (Generator) m.model();
  }

  /** Runs the check in training mode, then in evaluation mode, then restores training mode. */
  private static void inBothModes(BuiltModel m, Consumer<String> check) {
    m.state().train();
    check.accept("training");
    m.state().eval();
    check.accept("evaluation");
    m.state().train();
  }

  /** The token sequence whose positions the logits follow: the decoder side for seq2seq. */
  private static INDArray sequence(Batch batch) {
    return batch.objective() == Objective.SEQ2SEQ ? batch.decoderTokens() : batch.tokens();
  }

  private static Batch withSequence(Batch batch, INDArray sequence) {
    boolean seq2seq = batch.objective() == Objective.SEQ2SEQ;
    return new Batch(batch.objective(), seq2seq ? batch.tokens() : sequence, batch.tokenMask(), batch.targets(),
        seq2seq ? sequence : batch.decoderTokens(), batch.decoderMask(), batch.patches());
  }

  /** A different ordinary (non-special) id at every position. */
  private INDArray otherIds(INDArray ids) {
    return replaced(ids, null);
  }

  /** ids with every padded position (mask 0) replaced by another ordinary id. */
  private INDArray replacePadding(INDArray ids, INDArray mask) {
    return mask == null ? ids : replaced(ids, mask);
  }

  /** A copy of ids where positions with mask 0 (all positions if mask is null) hold another ordinary id. */
  private INDArray replaced(INDArray ids, INDArray mask) {
    INDArray out = ids.dup('c');
    INDArray flatMask = mask == null ? null : mask.dup('c');
    long ordinary = io().vocabSize() - SpecialToken.COUNT;
    for (long i = 0; i < out.length(); i++) {
      if (flatMask == null || flatMask.getDouble(i) == 0) {
        out.putScalar(i, SpecialToken.COUNT + Math.floorMod(out.getLong(i) + 1 - SpecialToken.COUNT, ordinary));
      }
    }
    return out;
  }

  /** Reorders axis 1: out[:, i] = in[:, order[i]]. */
  private static INDArray permute(INDArray a, int[] order) {
    if (a == null) {
      return null;
    }
    INDArray out = a.dup();
    for (int i = 0; i < order.length; i++) {
      out.get(NDArrayIndex.all(), NDArrayIndex.point(i)).assign(a.get(NDArrayIndex.all(), NDArrayIndex.point(order[i])));
    }
    return out;
  }
}
