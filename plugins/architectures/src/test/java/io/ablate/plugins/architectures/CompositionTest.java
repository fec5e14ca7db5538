package io.ablate.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ablate.core.config.ConfigKey;
import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.plugin.Component;
import io.ablate.core.plugin.Registry;
import io.ablate.spi.ComponentSpec;
import io.ablate.spi.ConfigException;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.ModelIO;
import io.ablate.spi.model.Objective;
import io.ablate.tensor.Tensor;
import io.ablate.tensor.optim.Adam;
import io.ablate.testkit.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every architecture × every positional encoding × every attention variant it composes: it builds,
 * a training step gives a finite loss, and a few steps on a fixed batch lower it. Combinations a
 * component refuses must be refused at build time with a clear message, never fail later.
 */
class CompositionTest {
  /** The objective each built-in architecture is exercised with; a new architecture must be added here. */
  private static final Map<String, Objective> OBJECTIVES = Map.of(
      "decoder", Objective.LANGUAGE_MODEL,
      "encoder", Objective.CLASSIFICATION,
      "encoder-decoder", Objective.SEQ2SEQ,
      "vit", Objective.IMAGE_CLASSIFICATION,
      "rnn-attention", Objective.SEQ2SEQ);
  private static final int STEPS = 4;

  @TestFactory
  Stream<DynamicTest> everyArchitectureWithEveryPositionalAndAttention() {
    Registry registry = TestModels.registry();
    List<DynamicTest> tests = new ArrayList<>();
    for (Component architecture : registry.list(Family.ARCHITECTURE)) {
      Objective objective = OBJECTIVES.get(architecture.name());
      if (objective == null) {
        fail("architecture '" + architecture.name() + "' has no objective in CompositionTest.OBJECTIVES");
      }
      List<String> keys = architecture.configKeys().stream().map(ConfigKey::name).toList();
      List<String> positionals = keys.contains("positional") ? registry.names(Family.POSITIONAL) : List.of("");
      List<String> attentions = keys.contains("attention") ? registry.names(Family.ATTENTION) : List.of("");
      for (String positional : positionals) {
        for (String attention : attentions) {
          ComponentSpec spec = ComponentSpec.of(architecture.name()).with("d_model", 16).with("layers", 1)
              .with("heads", 2);
          if (!positional.isEmpty()) {
            spec = spec.with("positional", positional);
          }
          if (!attention.isEmpty()) {
            spec = spec.with("attention", attention);
          }
          ComponentSpec finalSpec = spec;
          tests.add(DynamicTest.dynamicTest(architecture.name() + " × " + positional + " × " + attention,
              () -> trainsOrIsRefusedUpFront(registry, finalSpec, objective)));
        }
      }
    }
    return tests.stream();
  }

  private static void trainsOrIsRefusedUpFront(Registry registry, ComponentSpec spec, Objective objective) {
    Fixture fixture = Fixture.of(objective);
    BuiltModel built;
    try {
      built = new ModelBuilder(registry).build(spec, fixture.io(), 11);
    } catch (ConfigException refused) {
      assertFalse(refused.getMessage().isBlank());
      System.out.println("refused at build time, as declared: " + spec + ": " + refused.getMessage());
      return;
    }
    try (built) {
      Adam adam = Adam.adamW(built.params().parameters(), 0.0);
      double first = Double.NaN;
      double last = Double.NaN;
      for (int step = 0; step < STEPS; step++) {
        built.params().parameters().zeroGrad();
        Tensor loss = built.model().loss(fixture.batch());
        last = loss.item();
        assertTrue(Double.isFinite(last), spec + ": loss " + last + " at step " + step);
        if (step == 0) {
          first = last;
        }
        loss.backward();
        adam.step(1e-2);
      }
      assertTrue(last < first, spec + ": loss did not decrease: " + first + " → " + last);
    }
  }

  /** A fixed small batch per objective, with padding where the objective has a mask. */
  private record Fixture(ModelIO io, Batch batch) {
    static final int VOCAB = 14;

    static Fixture of(Objective objective) {
      return switch (objective) {
        case LANGUAGE_MODEL -> new Fixture(ModelIO.languageModel(VOCAB, 8), Batch.languageModel(
            ids(new long[][] {{6, 7, 8, 9, 10, 11}, {13, 12, 11, 10, 9, 8}}),
            ids(new long[][] {{7, 8, 9, 10, 11, 12}, {12, 11, 10, 9, 8, 7}})));
        case CLASSIFICATION -> new Fixture(ModelIO.classification(VOCAB, 3, 8), Batch.classification(
            ids(new long[][] {{1, 6, 7, 8, 9, 10}, {1, 11, 12, 13, 0, 0}}),
            mask(new float[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}}), ids(new long[] {2, 0})));
        case MASKED_LM -> new Fixture(ModelIO.maskedLm(VOCAB, 8), Batch.maskedLm(
            ids(new long[][] {{6, 3, 8, 9, 3, 11}, {13, 12, 3, 10, 0, 0}}),
            mask(new float[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}}),
            ids(new long[][] {{-1, 7, -1, -1, 10, -1}, {-1, -1, 11, -1, -1, -1}})));
        case SEQ2SEQ -> new Fixture(ModelIO.seq2seq(VOCAB, 8), Batch.seq2seq(
            ids(new long[][] {{6, 7, 8, 9}, {10, 11, 0, 0}}),
            mask(new float[][] {{1, 1, 1, 1}, {1, 1, 0, 0}}),
            ids(new long[][] {{4, 9, 8, 7, 6}, {4, 11, 10, 0, 0}}),
            mask(new float[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}}),
            ids(new long[][] {{9, 8, 7, 6, 5}, {11, 10, 5, -1, -1}})));
        case IMAGE_CLASSIFICATION -> {
          try (var rng = new io.ablate.tensor.Rng(3)) {
            yield new Fixture(ModelIO.imageClassification(12, 4, 3),
                Batch.images(rng.normal(DataType.FLOAT, 0, 1, 2, 4, 12), ids(new long[] {1, 2})));
          }
        }
      };
    }

    private static org.nd4j.linalg.api.ndarray.INDArray ids(long[][] rows) {
      return Nd4j.createFromArray(rows);
    }

    private static org.nd4j.linalg.api.ndarray.INDArray ids(long[] row) {
      return Nd4j.createFromArray(row);
    }

    private static org.nd4j.linalg.api.ndarray.INDArray mask(float[][] rows) {
      return Nd4j.createFromArray(rows);
    }
  }
}
