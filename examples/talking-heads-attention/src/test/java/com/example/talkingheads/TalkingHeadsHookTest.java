package com.example.talkingheads;

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
 * Talking-heads attention applies the positional encoding it is built with: the score bias (ALiBi-like
 * terms move the output) and the query/key rotation. The family's conformance checks are in
 * {@link TalkingHeadsAttentionContractTest}.
 *
 * <p>Inputs are (B, T, D) = (2, 5, 8) with 2 heads, in double precision.
 */
class TalkingHeadsHookTest extends ComponentContract<TalkingHeadsAttention.Config> {
  private static final int B = 2;
  private static final int T = 5;
  private static final int D = 8;
  private static final int HEADS = 2;

  private final List<Rng> generators = new ArrayList<>();

  @Override
  protected ComponentFactory<TalkingHeadsAttention.Config, Attention> factory() {
    return TalkingHeadsAttention.FACTORY;
  }

  @Override
  protected List<Map<String, Object>> exampleOptions() {
    return List.of(Map.of(), Map.of("init", "orthogonal", "bias", false));
  }

  private record Built(Attention attention, ModelContext context) {
    Tensor self(INDArray x, AttentionMask mask) {
      Tensor t = Tensor.constant(x);
      return attention.forward(t, t, mask);
    }
  }

  private Built build(Map<String, Object> options, long seed, PositionalEncoding positional) {
    Rng rng = new Rng(seed);
    generators.add(rng);
    ModelContext context = TestModels.context(new Dims(D, HEADS), ModelIO.languageModel(16, T), DataType.DOUBLE, rng)
        .withPositional(positional).scope("attention");
    return new Built(factory().create(config(options), context), context);
  }

  /** Built with the second example options and parameters moved away from their initial values. */
  private Built perturbed(long seed, PositionalEncoding positional) {
    Built built = build(exampleOptions().get(1), seed, positional);
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

}
