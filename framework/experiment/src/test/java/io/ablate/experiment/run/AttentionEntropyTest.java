package io.ablate.experiment.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ablate.core.Wiring;
import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.model.ParameterStore;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.ReportWriter;
import io.ablate.experiment.spec.Sections;
import io.ablate.experiment.spec.SpecLoader;
import io.ablate.experiment.spec.StudySpec;
import io.ablate.spi.Family;
import io.ablate.spi.model.Batch;
import io.ablate.spi.model.Model;
import io.ablate.spi.model.Objective;
import io.ablate.spi.model.RunState;
import io.ablate.spi.text.SpecialToken;
import io.ablate.tensor.Rng;
import io.ablate.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Attention entropy: the formula on known rows, the same numbers through a real model's attention,
 * every attention variant of the zoo, models without weights, and a short study whose metrics, run
 * records, summary and report carry it.
 */
class AttentionEntropyTest {
  private static final Registry REGISTRY = Wiring.builtins();

  @TempDir
  Path dir;

  /** Σ ln(i + 1) over the real query positions of rows of lengths 4 and 2, divided by their count. */
  private static final double CAUSAL_UNIFORM = (0 + Math.log(2) + Math.log(3) + Math.log(4) + 0 + Math.log(2)) / 6;

  @Test
  void aUniformRowOverNKeysHasLnNAOneHotRowZeroAndPaddedQueriesAreLeftOut() {
    INDArray w = Nd4j.zeros(DataType.FLOAT, 2, 2, 4, 4);                       // (B, H, Tq, Tk)
    for (int b = 0; b < 2; b++) {
      for (int q = 0; q < 4; q++) {
        for (int k = 0; k <= q; k++) {
          w.putScalar(new long[] {b, 0, q, k}, 1.0 / (q + 1));                 // head 0: uniform over keys ≤ q
        }
        w.putScalar(new long[] {b, 1, q, q}, 1.0);                             // head 1: one-hot
      }
    }
    // row 1 is two tokens long: its padded queries get weights that would change both heads if counted
    for (int q = 2; q < 4; q++) {
      for (int k = 0; k < 4; k++) {
        w.putScalar(new long[] {1, 0, q, k}, k == 0 ? 1.0 : 0.0);
        w.putScalar(new long[] {1, 1, q, k}, 0.25);
      }
    }
    INDArray valid = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 0}});
    double[] entropy = AttentionEntropy.perHead(w, valid);
    assertEquals(CAUSAL_UNIFORM, entropy[0], 1e-6);
    assertEquals(0.0, entropy[1], 1e-12);
    // one uniform row over n = 5 visible keys of 8 (the rest masked, weight 0) is ln 5
    INDArray row = Nd4j.zeros(DataType.FLOAT, 1, 1, 1, 8);
    for (int k = 0; k < 5; k++) {
      row.putScalar(new long[] {0, 0, 0, k}, 0.2);
    }
    assertEquals(Math.log(5), AttentionEntropy.perHead(row, null)[0], 1e-6);
  }

  @Test
  void queriesOfPaddedBatchesAreFoundFromTheMaskOrThePadIds() {
    int pad = SpecialToken.PAD.id();
    INDArray ids = Nd4j.createFromArray(new long[][] {{7, 8, 9}, {7, pad, pad}});
    Batch lm = Batch.languageModel(ids, ids);                                   // padded LM batches carry no mask
    assertEquals("[[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]", rows(AttentionEntropy.queryValid(lm, "decoder.blocks.0", 3)));
    INDArray source = Nd4j.createFromArray(new long[][] {{7, 8}, {7, 8}});
    INDArray sourceMask = Nd4j.createFromArray(new double[][] {{1, 1}, {1, 0}});
    INDArray target = Nd4j.createFromArray(new long[][] {{7, 8}, {7, 8}});
    INDArray targetMask = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 1}});
    Batch seq2seq = Batch.seq2seq(source, sourceMask, target, targetMask, target);
    // equal lengths: the layer's name says which side its queries come from
    assertEquals(rows(sourceMask), rows(AttentionEntropy.queryValid(seq2seq, "encoder.blocks.0.self_attention", 2)));
    assertEquals(rows(targetMask), rows(AttentionEntropy.queryValid(seq2seq, "decoder.blocks.0.cross_attention", 2)));
    assertEquals(null, AttentionEntropy.queryValid(Batch.images(Nd4j.zeros(2, 3, 4), null), "encoder.blocks.0", 4));
  }

  @Test
  void aRealMhaDecoderWithZeroQueriesAttendsUniformlyAndGetsLnOfTheVisibleKeys() {
    Map<String, Object> config = config("mha", "none");
    try (BuiltModel model = build(config)) {
      int zeroed = 0;
      for (Tensor p : model.params().parameters().list()) {
        if (p.name().contains("self_attention.query")) {
          p.value().assign(0);                                                 // q = 0: every score is 0
          zeroed++;
        }
      }
      assertTrue(zeroed > 0, "no query projection found");
      int pad = SpecialToken.PAD.id();
      INDArray ids = Nd4j.createFromArray(new long[][] {{7, 8, 9, 10}, {7, 8, pad, pad}});
      Map<String, Double> m = new AttentionEntropy(model, Batch.languageModel(ids, ids)).measure();
      for (int l = 0; l < 2; l++) {
        for (int h = 0; h < 2; h++) {
          assertEquals(CAUSAL_UNIFORM, m.get("attn_entropy/L" + l + "H" + h), 1e-5, "L" + l + "H" + h + " in " + m);
        }
        assertEquals(CAUSAL_UNIFORM, m.get("attn_entropy/L" + l), 1e-5);
      }
      assertEquals(CAUSAL_UNIFORM, m.get("attn_entropy/mean"), 1e-5);
      assertEquals(List.of("attn_entropy/L0H0", "attn_entropy/L0H1", "attn_entropy/L0", "attn_entropy/L1H0",
          "attn_entropy/L1H1", "attn_entropy/L1", "attn_entropy/mean"), List.copyOf(m.keySet()));
      assertTrue(model.state().training(), "training mode restored");
      assertFalse(model.state().capturing(), "capture off");
    }
  }

  @Test
  void everyAttentionVariantOfTheZooGivesFiniteEntropyPerHead() {
    List<String> variants = REGISTRY.names(Family.ATTENTION);
    assertTrue(variants.containsAll(List.of("mha", "shared-qk", "mqa", "gqa", "local", "linear")), variants.toString());
    for (String attention : variants) {
      Map<String, Object> config = config(attention, "rotary");
      try (BuiltModel model = build(config); Rng rng = new Rng(3)) {
        TaskSetup setup = TaskSetup.prepare(REGISTRY, config, 3, rng, false);
        Map<String, Double> m = AttentionEntropy.probe(model, setup.task(), 3, 32).measure();
        for (String name : List.of("attn_entropy/L0H0", "attn_entropy/L1H1", "attn_entropy/L1", "attn_entropy/mean")) {
          Double v = m.get(name);
          assertTrue(v != null && Double.isFinite(v) && v >= -1e-6 && v < Math.log(64), attention + " " + name + " = "
              + v + " in " + m.keySet());
        }
      }
    }
  }

  /** Stands for a third-party model: records no weights, or throws while capturing. */
  private static final class Opaque implements Model {
    final RunState state = new RunState();
    boolean fail;
    int calls;

    @Override
    public Set<Objective> objectives() {
      return Set.of(Objective.LANGUAGE_MODEL);
    }

    @Override
    public Tensor logits(Batch batch) {
      calls++;
      if (fail) {
        throw new IllegalStateException("plugin bug");
      }
      return Tensor.constant(Nd4j.zeros(DataType.FLOAT, batch.tokens().size(0), batch.tokens().size(1), 4));
    }
  }

  @Test
  void modelsThatExposeNoWeightsOrFailGetNoEntropyAndTrainingGoesOn() {
    Batch probe = Batch.languageModel(Nd4j.createFromArray(new long[][] {{7, 8}}), null);
    for (boolean fail : new boolean[] {false, true}) {
      Opaque opaque = new Opaque();
      opaque.fail = fail;
      Rng rng = new Rng(1);
      try (BuiltModel model = new BuiltModel(opaque, new ParameterStore(DataType.FLOAT, rng), opaque.state, rng)) {
        AttentionEntropy entropy = new AttentionEntropy(model, probe);
        assertEquals(Map.of(), entropy.measure());
        assertEquals(Map.of(), entropy.measure());
        assertEquals(fail ? 1 : 2, opaque.calls, "a failed capture is not retried every evaluation");
        assertTrue(opaque.state.training());
        assertFalse(opaque.state.capturing());
      }
    }
  }

  @Test
  void aShortStudyLogsEntropyAtEveryEvaluationAndReportsIt() throws IOException {
    Path spec = dir.resolve("s.yaml");
    Files.writeString(spec, """
        study: entropy
        base:
          task: {type: copy, symbols: 4, train_max_length: 4, eval_max_length: 6, eval_examples: 4}
          tokenizer: char
          model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, ffn: {type: gelu, hidden: 32}}
          train: {steps: 12, batch: 8, lr: 3.0e-3, eval_every: 6}
        ablate:
          grid:
            model.attention.type: [mha, linear]
        baseline: {model.attention.type: mha}
        seeds: [1]
        metrics: [exact_match, loss]
        """);
    StudySpec s = SpecLoader.load(spec, List.of());
    StudyPlan plan = StudyPlan.of(s, dir.resolve("results"));
    StudyValidator.validate(s, plan.variants(), REGISTRY);
    for (StudyRunner.Outcome o : new StudyRunner(REGISTRY, 1).run(plan, RunListener.NONE)) {
      assertEquals(RunRecord.FINISHED, o.record().status(), o.record().failure());
      String log = Files.readString(plan.directory(o.run()).file("metrics.jsonl"));
      for (int step : new int[] {6, 12}) {
        for (String name : List.of("attn_entropy/L0H0", "attn_entropy/L0H1", "attn_entropy/L0", "attn_entropy/mean")) {
          assertTrue(log.contains("{\"step\":" + step + ",\"name\":\"" + name + "\""), name + " at " + step + ":\n"
              + log);
        }
      }
      Map<String, Double> last = o.record().metrics();
      assertTrue(last.containsKey("attn_entropy/mean") && last.containsKey("attn_entropy/L0"), last.keySet().toString());
      assertFalse(last.containsKey("attn_entropy/L0H0"), "per-head values stay in metrics.jsonl");
    }
    ReportWriter.Report report = ReportWriter.write(plan);
    Path results = plan.dir();
    assertTrue(Files.size(results.resolve("attention_entropy.png")) > 1000);
    assertTrue(report.files().contains(results.resolve("attention_entropy.png")));
    String csv = Files.readString(results.resolve("summary.csv"));
    assertTrue(csv.contains("attention=linear,attn_entropy/mean,1,"), csv);
    String html = Files.readString(report.html());
    assertTrue(html.contains("Attention entropy") && html.contains("attention_entropy.png"));
    assertEquals("exact_match", report.summary().primary());
    assertEquals(null, report.summary().verdict("attn_entropy/mean").winner(), "a diagnostic has no winner");
  }

  private Map<String, Object> config(String attention, String positional) {
    try {
      Path spec = Files.createTempFile(dir, "entropy", ".yaml");
      Files.writeString(spec, """
          study: probe
          base:
            task: {type: copy, symbols: 4, train_max_length: 6, eval_max_length: 6, eval_examples: 2}
            tokenizer: char
            model:
              architecture: decoder
              d_model: 16
              layers: 2
              heads: 2
              positional: {type: %s}
              attention: {type: %s}
              ffn: {type: gelu, hidden: 32}
          seeds: [3]
          """.formatted(positional, attention));
      StudySpec s = SpecLoader.load(spec, List.of());
      Files.delete(spec);
      return StudyPlan.of(s, spec.getParent()).runs().get(0).config();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static BuiltModel build(Map<String, Object> config) {
    try (Rng rng = new Rng(3)) {
      TaskSetup setup = TaskSetup.prepare(REGISTRY, config, 3, rng, false);
      return new ModelBuilder(REGISTRY).build(Sections.architecture(config), setup.io(), 3);
    }
  }

  private static String rows(INDArray a) {
    return java.util.Arrays.deepToString(a.castTo(DataType.DOUBLE).toDoubleMatrix());
  }
}
