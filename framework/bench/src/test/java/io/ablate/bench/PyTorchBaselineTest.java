package io.ablate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Runs the real scripts/bench_pytorch.py: where torch is importable it must report a throughput for
 * the same parameter count as ours; where it is not, the reason must say so.
 */
class PyTorchBaselineTest {

  @Test
  void runsTheScriptOrExplainsWhyNot() throws Exception {
    Path home = Path.of("../..").toAbsolutePath().normalize();
    StringBuilder why = new StringBuilder();
    Optional<JsonNode> result = new PyTorchBaseline(home).run(BenchConfig.TINY, 2, 1, why);
    if (result.isPresent()) {
      assertTrue(result.get().get("tokens_per_s").asDouble() > 0);
      assertEquals(BenchConfig.TINY.parameterCount(), result.get().get("parameters").asLong());
    } else {
      assertTrue(why.toString().contains("torch"), why.toString());
    }
  }

  @Test
  void evaluatesAtAnotherLength() throws Exception {
    Path home = Path.of("../..").toAbsolutePath().normalize();
    StringBuilder why = new StringBuilder();
    BenchConfig longer = BenchConfig.TINY.withSeqLen(48);
    Optional<JsonNode> result = new PyTorchBaseline(home).run(longer, 2, 1, true, why);
    if (result.isPresent()) {
      assertEquals("evaluation", result.get().get("mode").asText());
      assertEquals(48, result.get().get("seq_len").asInt());
      assertEquals(longer.parameterCount(), result.get().get("parameters").asLong());
      assertEquals(0.0, result.get().get("ms_backward").asDouble());
    } else {
      assertTrue(why.toString().contains("torch"), why.toString());
    }
  }
}
