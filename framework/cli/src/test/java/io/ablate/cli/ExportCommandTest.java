package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ablate.core.model.Checkpoint;
import io.ablate.plugins.text.tokenizer.CharTokenizer;
import io.ablate.tracking.MlflowServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ablate export}: a trained run's checkpoint loaded by the {@code safetensors} Python package
 * gives every tensor, by name, with the same shape and the same float values; its tokenizer loaded
 * by Hugging Face {@code tokenizers} gives the same ids as Ablate's. Python comes from
 * {@code .export-venv/} ({@code scripts/install-export-check.sh}); without it the test is skipped
 * and says why, unless {@code ABLATE_EXPORT_TESTS_REQUIRED=true}.
 */
class ExportCommandTest {
  private static final String SPEC = """
      study: exported
      base:
        task: {type: copy, symbols: 5, train_max_length: 4, eval_max_length: 5, eval_examples: 4}
        tokenizer: char
        model: {architecture: decoder, d_model: 16, layers: 1, heads: 2, positional: learned, ffn: {type: gelu, hidden: 32}}
        train: {steps: 5, batch: 8, eval_every: 5}
      ablate:
        grid:
          model.norm.type: [layernorm]
      seeds: [1]
      """;

  private static final String READ = """
      import json, sys
      from safetensors.numpy import load_file
      from tokenizers import Tokenizer
      arrays = load_file(sys.argv[1])
      tok = Tokenizer.from_file(sys.argv[2])
      texts = json.loads(sys.argv[3])
      print(json.dumps(dict(
          arrays={k: dict(shape=list(v.shape), dtype=str(v.dtype), values=[float(x) for x in v.reshape(-1)])
                  for k, v in arrays.items()},
          ids=[tok.encode(t, add_special_tokens=False).ids for t in texts],
          decoded=[tok.decode(tok.encode(t, add_special_tokens=False).ids) for t in texts])))
      """;

  @TempDir
  Path dir;

  @Test
  void exportsLoadInPythonWithTheSameTensorsAndIds() throws Exception {
    Path python = MlflowServer.repositoryRoot().resolve(".export-venv/bin/python");
    if (!Files.isExecutable(python)) {
      String why = "no " + python + " (run scripts/install-export-check.sh)";
      if ("true".equals(System.getenv("ABLATE_EXPORT_TESTS_REQUIRED"))) {
        fail(why);
      }
      Assumptions.abort("skipped: " + why);
    }
    Path spec = Files.writeString(dir.resolve("exported.yaml"), SPEC);
    CliRunner.Result run = CliRunner.run("run", spec.toString(), "--results-dir", dir.resolve("results").toString(),
        "--quiet", "--tracking-uri", "none");
    assertEquals(0, run.code(), run.err());
    Path runDir;
    try (Stream<Path> runs = Files.list(dir.resolve("results/exported/runs"))) {
      runDir = runs.findFirst().orElseThrow();
    }
    CliRunner.Result weights = CliRunner.run("export", runDir.toString(), "--format", "safetensors");
    assertEquals(0, weights.code(), weights.err());
    CliRunner.Result vocab = CliRunner.run("export", runDir.toString(), "--format", "hf-tokenizer", "-o",
        dir.resolve("tok.json").toString());
    assertEquals(0, vocab.code(), vocab.err());

    List<String> texts = List.of("abcde", "edcba", "aab", "", "az!b\n😀");   // z, !, newline, emoji unseen: [UNK]
    Process p = new ProcessBuilder(python.toString(), "-c", READ, runDir.resolve("model.safetensors").toString(),
        dir.resolve("tok.json").toString(), new ObjectMapper().writeValueAsString(texts)).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, err);
    JsonNode read = new ObjectMapper().readTree(out);

    Map<String, INDArray> saved = Checkpoint.read(runDir.resolve("model.ckpt"));
    assertEquals(saved.keySet(), iterable(read.get("arrays").fieldNames()), "every tensor, by name");
    for (Map.Entry<String, INDArray> e : saved.entrySet()) {
      JsonNode a = read.get("arrays").get(e.getKey());
      assertArrayEquals(e.getValue().shape(), new ObjectMapper().convertValue(a.get("shape"), long[].class), e.getKey());
      assertEquals("float32", a.get("dtype").asText(), e.getKey());
      double[] want = e.getValue().dup('c').data().asDouble();
      double[] got = new ObjectMapper().convertValue(a.get("values"), double[].class);
      assertArrayEquals(want, got, 0.0, e.getKey() + ": same values, bit for bit");
    }

    CharTokenizer tokenizer = new CharTokenizer(new CharTokenizer.Config(null));
    try (InputStream in = Files.newInputStream(runDir.resolve("tokenizer.txt"))) {
      tokenizer.load(in);
    }
    for (int i = 0; i < texts.size(); i++) {
      int[] ids = new ObjectMapper().convertValue(read.get("ids").get(i), int[].class);
      assertArrayEquals(tokenizer.encode(texts.get(i)), ids, "ids of '" + texts.get(i) + "'");
    }
    assertEquals("abcde", read.get("decoded").get(0).asText(), "decodes back");
    assertTrue(read.get("ids").get(4).toString().contains(",6,"), "unseen characters are [UNK] (6): " + read.get("ids"));
  }

  private static java.util.Set<String> iterable(java.util.Iterator<String> names) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    names.forEachRemaining(out::add);
    return out;
  }
}
