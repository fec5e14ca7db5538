package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ablate bench --json} prints one object with the documented keys. */
class BenchCommandTest {

  @Test
  void jsonHasTheDocumentedKeys() throws Exception {
    JsonNode result = runJson("bench", "--config", "tiny", "--steps", "3", "--warmup", "1", "--json");
    for (String key : new String[] {"tokens_per_s", "ms_forward", "ms_backward", "ms_optimizer", "gflops", "mfu",
        "rss_mb", "peak_gemm_gflops", "peak_gemm_size", "fma_peak_gflops", "mfu_fma", "threads"}) {
      assertTrue(result.has(key), "missing " + key + " in " + result);
    }
    assertTrue(result.get("tokens_per_s").asDouble() > 0);
    assertTrue(result.get("mfu").asDouble() > 0 && result.get("mfu").asDouble() < 1, result.get("mfu").toString());
    assertEquals(3, result.get("steps").asInt());
  }

  @Test
  void evalTimesTheLossWithoutGradientsAtTheGivenLength() throws Exception {
    JsonNode result = runJson("bench", "--config", "tiny", "--eval", "--seq-len", "48", "--steps", "2", "--warmup", "1",
        "--json");
    assertEquals("evaluation", result.get("mode").asText());
    assertEquals(48, result.get("seq_len").asInt());
    assertEquals(0.0, result.get("ms_backward").asDouble() + result.get("ms_optimizer").asDouble());
    assertTrue(result.get("ms_forward").asDouble() > 0);
    // no update between steps: the loss of the same batch is the same
    assertEquals(result.get("first_loss").asDouble(), result.get("last_loss").asDouble(), 1e-6);
    // the learned position table follows the length: 48 rather than 32 rows of 64
    assertEquals(io.ablate.bench.BenchConfig.TINY.parameterCount() + 16 * 64, result.get("parameters").asLong());
  }

  @Test
  void specBenchmarksTheStudysBaseModel() throws Exception {
    JsonNode result = runJson("bench", "--spec", "../../experiments/quickstart.yaml", "--steps", "2", "--warmup", "0",
        "--json");
    assertTrue(result.get("config").asText().startsWith("quickstart"), result.get("config").asText());
    assertTrue(result.get("tokens_per_s").asDouble() > 0);
    // d_model 32, 2 layers, FFN 64, sinusoidal positions: far smaller than the tiny config's 104 192
    long parameters = result.get("parameters").asLong();
    assertTrue(parameters > 10_000 && parameters < 50_000, "parameters " + parameters);
  }

  @Test
  void unknownConfigFailsWithTheKnownNames() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = Ablate.commandLine();
    cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = cli.execute("bench", "--config", "huge");
    assertEquals(2, code);
    assertTrue(!err.toString(StandardCharsets.UTF_8).contains("\tat "), "no stack trace expected");
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("known: tiny, small"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void abAlternatesALeverOffAndOnInOneProcessAndRestoresIt() throws Exception {
    JsonNode result = runJson("bench", "--config", "tiny", "--ab", "fused-norm", "--rounds", "2", "--steps", "2",
        "--warmup", "1", "--json");
    assertEquals("fused-norm", result.get("lever").asText());
    assertEquals(2, result.get("rounds").size());
    for (JsonNode round : result.get("rounds")) {
      assertTrue(round.get("off_ms_per_step").asDouble() > 0 && round.get("on_ms_per_step").asDouble() > 0, round.toString());
    }
    assertTrue(result.get("wins").asInt() >= 0 && result.get("wins").asInt() <= 2);
    assertTrue(io.ablate.tensor.Lever.FUSED_NORM.on(), "the lever is back as it was");
  }

  @Test
  void abWithAnUnknownLeverNamesTheKnownOnes() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Ablate.commandLine().execute("bench", "--ab", "fused-gelu");
    } finally {
      System.setErr(original);
    }
    assertEquals(2, code);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("unknown lever 'fused-gelu'") && text.contains("parallel-kernels, fused-norm, fused-softmax, fused-adam"),
        text);
  }

  private static JsonNode runJson(String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int code = Ablate.commandLine().execute(args);
      assertEquals(0, code);
    } finally {
      System.setOut(original);
    }
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
  }
}
