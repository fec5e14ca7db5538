package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ablate.core.Wiring;
import io.ablate.core.model.BuiltModel;
import io.ablate.core.model.Checkpoint;
import io.ablate.core.model.ModelBuilder;
import io.ablate.core.plugin.Registry;
import io.ablate.experiment.report.RunResult;
import io.ablate.experiment.run.RunRecord;
import io.ablate.experiment.run.TaskSetup;
import io.ablate.experiment.spec.Sections;
import io.ablate.spi.model.Batch;
import io.ablate.spi.text.TextTokenizer;
import io.ablate.tensor.GradMode;
import io.ablate.tensor.Rng;
import io.ablate.tracking.MlflowServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ablate export} checked from Python, on runs trained with {@code ablate run}. Weights: every
 * tensor of the safetensors file, by name, has the checkpoint's shape and bits, and the numpy
 * reference forward pass ({@code scripts/export_reference.py}, driven by the exported config.json)
 * gives the logits Java gives for the same ids, for the quickstart's decoder with each positional
 * encoding (none, sinusoidal, rotary, alibi, learned) and other norms, placements, feed-forwards and
 * untied embeddings; a model the reference does not implement is refused by name. Tokenizers: each
 * kind ({@code char}, {@code bpe}, {@code word}, {@code wordpiece}, {@code byte-bpe}) trained on
 * Genesis 1–3 (King James Version, public domain; test resource {@code export/genesis-1-3.txt}),
 * loaded with {@code tokenizers.Tokenizer.from_file}, gives Ablate's ids for every verse and for
 * strings with unseen characters. Python comes from {@code .export-venv/}
 * ({@code scripts/install-export-check.sh}); without it the tests are skipped and say why, unless
 * {@code ABLATE_EXPORT_TESTS_REQUIRED=true}.
 */
class ExportCommandTest {
  /** The quickstart's decoder (experiments/quickstart.yaml), a few steps, varied beyond its grid. */
  private static final String MODELS = """
      study: exported
      base:
        task: {type: copy, symbols: 6, train_min_length: 1, train_max_length: 4, eval_max_length: 8, eval_examples: 4}
        tokenizer: char
        model:
          architecture: decoder
          d_model: 32
          layers: 2
          heads: 4
          positional: sinusoidal
          attention: mha
          norm: layernorm
          ffn: {type: gelu, hidden: 64}
        train: {steps: 20, batch: 8, lr: 3.0e-3, eval_every: 20}
      ablate:
        zip:
          - model.positional.type: [none, sinusoidal, rotary, alibi, learned]
            model.norm.type: [layernorm, layernorm, rmsnorm, layernorm, rmsnorm]
            model.placement: [pre, pre, post, pre, post]
            model.ffn.type: [gelu, gelu, swiglu, relu, gelu]
            model.tied_embeddings: [true, true, false, true, false]
      seeds: [1]
      """;

  /** Token ids the logits are compared on: (2, 8), specials, symbols and the separator. */
  private static final int[][] IDS = {{4, 7, 8, 9, 10, 5, 7, 8}, {4, 12, 11, 10, 9, 8, 7, 6}};
  /** float32 forward passes in two implementations: summation order differs, nothing else may. */
  private static final double LOGIT_TOLERANCE = 1e-4;

  private static final String READ_MODELS = """
      import json, sys
      sys.path.insert(0, sys.argv[1])
      import export_reference
      from safetensors.numpy import load_file
      ids = json.loads(sys.argv[3])
      out = []
      for weights, config in json.loads(sys.argv[2]):
          arrays = load_file(weights)
          with open(config, encoding="utf-8") as f:
              logits = export_reference.logits(arrays, json.load(f), ids)
          out.append(dict(
              arrays={k: dict(shape=list(v.shape), dtype=str(v.dtype), values=[float(x) for x in v.reshape(-1)])
                      for k, v in arrays.items()},
              logits=[float(x) for x in logits.reshape(-1)], shape=list(logits.shape)))
      print(json.dumps(out))
      """;

  private static final String READ_TOKENIZER = """
      import json, sys
      from tokenizers import Tokenizer
      tok = Tokenizer.from_file(sys.argv[1])
      with open(sys.argv[2], encoding="utf-8") as f:
          texts = json.load(f)
      encoded = [tok.encode(t, add_special_tokens=False).ids for t in texts]
      print(json.dumps(dict(ids=encoded, decoded=[tok.decode(ids) for ids in encoded])))
      """;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path python;

  @TempDir
  Path dir;

  @BeforeAll
  static void findPython() {
    python = MlflowServer.repositoryRoot().resolve(".export-venv/bin/python");
    if (!Files.isExecutable(python)) {
      String why = "no " + python + " (run scripts/install-export-check.sh)";
      if ("true".equals(System.getenv("ABLATE_EXPORT_TESTS_REQUIRED"))) {
        fail(why);
      }
      Assumptions.abort("skipped: " + why);
    }
  }

  @Test
  void exportedDecodersGiveTheSameTensorsAndLogitsInNumpy() throws Exception {
    List<Path> runs = train(MODELS, "exported");
    assertEquals(5, runs.size());
    List<List<String>> files = new ArrayList<>();
    for (Path run : runs) {
      CliRunner.Result export = CliRunner.run("export", run.toString(), "--format", "safetensors");
      assertEquals(0, export.code(), export.err());
      assertTrue(Files.isRegularFile(run.resolve("config.json")), export.out());
      files.add(List.of(run.resolve("model.safetensors").toString(), run.resolve("config.json").toString()));
    }
    Python read = python("-c", READ_MODELS, MlflowServer.repositoryRoot().resolve("scripts").toString(),
        JSON.writeValueAsString(files), JSON.writeValueAsString(IDS));
    assertEquals(0, read.code(), read.err());
    JsonNode models = JSON.readTree(read.out());

    Registry registry = Wiring.registry(List.of());
    for (int i = 0; i < runs.size(); i++) {
      Path run = runs.get(i);
      JsonNode model = models.get(i);
      Map<String, INDArray> saved = Checkpoint.read(run.resolve("model.ckpt"));
      assertEquals(saved.keySet(), names(model.get("arrays")), run + ": every tensor, by name");
      for (Map.Entry<String, INDArray> e : saved.entrySet()) {
        JsonNode a = model.get("arrays").get(e.getKey());
        assertArrayEquals(e.getValue().shape(), JSON.convertValue(a.get("shape"), long[].class), e.getKey());
        assertEquals("float32", a.get("dtype").asText(), e.getKey());
        assertArrayEquals(e.getValue().dup('c').data().asDouble(), JSON.convertValue(a.get("values"), double[].class),
            0.0, e.getKey() + ": same values, bit for bit");
      }
      INDArray java = javaLogits(registry, run);                                 // (B, T, V)
      assertArrayEquals(java.shape(), JSON.convertValue(model.get("shape"), long[].class), run.toString());
      double[] want = java.dup('c').data().asDouble();
      double[] got = JSON.convertValue(model.get("logits"), double[].class);
      double maxDiff = 0;
      for (int k = 0; k < want.length; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(want[k] - got[k]));
      }
      System.out.printf("export logits %s: max |java - numpy| = %.3g over %d logits%n", run.getFileName(), maxDiff,
          want.length);
      assertTrue(maxDiff < LOGIT_TOLERANCE, run.getFileName() + ": logits differ by " + maxDiff);
      assertTrue(java.stdNumber().doubleValue() > 0.01, "logits that vary, so that matching them means something");
    }

    // Python never guesses: a model with components the reference does not implement is refused by name.
    ObjectNode config = (ObjectNode) JSON.readTree(runs.get(0).resolve("config.json").toFile());
    ((ObjectNode) config.get("ablate").get("positional")).put("type", "t5-bias");
    ((ObjectNode) config.get("ablate").get("attention")).put("type", "gqa");
    Path unsupported = Files.writeString(dir.resolve("t5.json"), JSON.writeValueAsString(config));
    Python refused = python(MlflowServer.repositoryRoot().resolve("scripts/export_reference.py").toString(),
        files.get(0).get(0), unsupported.toString(), JSON.writeValueAsString(IDS));
    assertNotEquals(0, refused.code(), refused.out());
    assertTrue(refused.err().contains("positional 't5-bias'") && refused.err().contains("attention 'gqa'"),
        refused.err());
  }

  @Test
  void exportedTokenizersGiveAblatesIdsInHuggingFaceTokenizers() throws Exception {
    Path text = dir.resolve("genesis-1-3.txt");
    try (InputStream in = getClass().getResourceAsStream("/export/genesis-1-3.txt")) {
      Files.copy(in, text);
    }
    List<String> texts = new ArrayList<>(Files.readAllLines(text, StandardCharsets.UTF_8));
    texts.add(Files.readString(text, StandardCharsets.UTF_8));                 // the whole text, line breaks included
    texts.addAll(List.of("", "   ", "GOD SAID: LET THERE BE LIGHT!!! (Genesis 1:3)",
        "Naïve café — “quoted” 😀 ὁδός ΑΘΗΝΑ 日本語のテキスト", "tabs\tand  double  spaces\r\nCRLF\u00a0nbsp\u2003em",
        "don't stop... 3.14 + ½ × 2 = 4.28; #hash ##pieces z", "\u0301combining e\u0301 x\u200bzero-width",
        "a\u0085b c", "a\u001fb c", "x² Ⅻ ٣4 a_b"));   // NEL is not a space to Java, U+001F is; Nl/No are not digits
    Path textsFile = Files.writeString(dir.resolve("texts.json"), JSON.writeValueAsString(texts));
    Registry registry = Wiring.registry(List.of());
    Map<String, String> tokenizers = new java.util.LinkedHashMap<>();
    tokenizers.put("char", "char");
    tokenizers.put("bpe", "{type: bpe, vocab_size: 300}");
    tokenizers.put("word", "{type: word, lower_case: true}");
    tokenizers.put("wordpiece", "{type: wordpiece, vocab_size: 300}");
    tokenizers.put("byte-bpe", "{type: byte-bpe, vocab_size: 400}");
    for (Map.Entry<String, String> kind : tokenizers.entrySet()) {
      String study = "tokenizer-" + kind.getKey();
      String tokenizer = kind.getValue();
      Path run = train("""
          study: %s
          base:
            task: {type: lm-bible, path: '%s', train_context: 16, eval_contexts: [16], scored_tokens: 8, eval_windows: 2}
            tokenizer: %s
            model: {architecture: decoder, d_model: 16, layers: 1, heads: 2}
            train: {steps: 2, batch: 2, eval_every: 2}
          seeds: [1]
          """.formatted(study, text, tokenizer), study).get(0);
      Path json = dir.resolve(study + ".json");
      CliRunner.Result export = CliRunner.run("export", run.toString(), "--format", "hf-tokenizer", "-o", json.toString());
      assertEquals(0, export.code(), export.err());
      Python read = python("-c", READ_TOKENIZER, json.toString(), textsFile.toString());
      assertEquals(0, read.code(), read.err());
      JsonNode got = JSON.readTree(read.out());

      TextTokenizer ablate = ablateTokenizer(registry, run);
      boolean unknownSeen = false;
      for (int i = 0; i < texts.size(); i++) {
        int[] want = ablate.encode(texts.get(i));
        assertArrayEquals(want, JSON.convertValue(got.get("ids").get(i), int[].class),
            study + ": ids of line " + (i + 1) + " '" + texts.get(i) + "'");
        unknownSeen |= java.util.Arrays.stream(want).anyMatch(id -> id == 6);
      }
      if (tokenizer.contains("byte-bpe")) {
        for (int i = 0; i < texts.size(); i++) {
          assertEquals(texts.get(i), got.get("decoded").get(i).asText(), study + ": byte-level decodes back exactly");
        }
      } else {
        assertTrue(unknownSeen, study + ": the strings include characters the tokenizer never saw ([UNK], id 6)");
      }
    }
  }

  /** Runs a study through the CLI and returns its run folders, sorted. */
  private List<Path> train(String spec, String study) throws IOException {
    Path file = Files.writeString(dir.resolve(study + ".yaml"), spec);
    CliRunner.Result run = CliRunner.run("run", file.toString(), "--results-dir", dir.resolve("results").toString(),
        "--quiet", "--tracking-uri", "none");
    assertEquals(0, run.code(), run.err());
    try (Stream<Path> runs = Files.list(dir.resolve("results").resolve(study).resolve("runs"))) {
      return runs.sorted().toList();
    }
  }

  /** The run's model rebuilt from its config, its checkpoint loaded, on {@link #IDS}: (B, T, V). */
  private static INDArray javaLogits(Registry registry, Path run) {
    RunRecord record = RunResult.load(run).orElseThrow().record();
    try (Rng rng = new Rng(record.seed());
        BuiltModel model = new ModelBuilder(registry).build(Sections.architecture(record.config()),
            TaskSetup.prepare(registry, record.config(), record.seed(), rng, false).io(), record.seed());
        GradMode.Scope ignored = GradMode.noGrad()) {
      Checkpoint.load(model.params(), run.resolve("model.ckpt"));
      model.state().eval();
      INDArray ids = Nd4j.createFromArray(IDS).castTo(org.nd4j.linalg.api.buffer.DataType.INT64);
      return model.model().logits(Batch.languageModel(ids, null)).value().dup();
    } catch (Exception e) {
      throw new AssertionError("rebuilding " + run + ": " + e, e);
    }
  }

  /** The run's tokenizer as Ablate loads it from tokenizer.txt. */
  private static TextTokenizer ablateTokenizer(Registry registry, Path run) throws IOException {
    RunRecord record = RunResult.load(run).orElseThrow().record();
    try (Rng rng = new Rng(record.seed())) {
      TextTokenizer tokenizer = (TextTokenizer) TaskSetup.create(registry, record.config(), rng).tokenizer();
      try (InputStream in = Files.newInputStream(run.resolve("tokenizer.txt"))) {
        tokenizer.load(in);
      }
      return tokenizer;
    }
  }

  private record Python(int code, String out, String err) {}

  private static Python python(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(python.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return p.getErrorStream().readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "python did not finish in 2 minutes");
    return new Python(p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
  }

  private static java.util.Set<String> names(JsonNode node) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
