package io.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Executor options given to the wrong executor, or missing: one line, exit 2, nothing written. */
class ExecutorOptionsTest {
  @TempDir
  Path dir;

  private CliRunner.Result run(String... extra) throws Exception {
    Path spec = dir.resolve("cells.yaml");
    Files.writeString(spec, RunCellTest.SPEC);
    String[] args = new String[4 + extra.length];
    args[0] = "run";
    args[1] = spec.toString();
    args[2] = "--results-dir";
    args[3] = dir.resolve("results").toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    CliRunner.Result r = CliRunner.run(args);
    assertFalse(Files.exists(dir.resolve("results")), "nothing written");
    return r;
  }

  @Test
  void optionsOfAnotherExecutorAreRefused() throws Exception {
    CliRunner.Result r = run("--master", "spark://127.0.0.1:7077");
    assertEquals(2, r.code());
    assertEquals("ablate run: --master: only with --executor spark (this run's executor is local)", r.errText());
    r = run("--executor", "spark", "--master", "local[1]", "--partition", "gpu", "--gres", "gpu:1");
    assertEquals(2, r.code());
    assertEquals("ablate run: --partition, --gres: only with --executor slurm (this run's executor is spark)",
        r.errText());
  }

  @Test
  void sparkNeedsAMasterAndLimitsArePositive() throws Exception {
    CliRunner.Result r = run("--executor", "spark");
    assertEquals(2, r.code());
    assertEquals("ablate run: --executor spark needs --master URL (spark://host:7077, k8s://https://host:port, "
        + "yarn or local[N])", r.errText());
    r = run("--executor", "slurm", "--array-limit", "0");
    assertEquals(2, r.code());
    assertEquals("ablate run: --array-limit must be at least 1, got 0", r.errText());
    r = run("--executor", "spark", "--master", "k8s://not a url");
    assertEquals(2, r.code());
    assertEquals("ablate run: --master k8s://not a url: not a URL (Illegal character in path at index 3: not a url)",
        r.errText());
    r = run("--executor", "spark", "--master", "k8s://api-server");
    assertEquals(2, r.code());
    assertEquals("ablate run: --master k8s://api-server: not a URL (expected k8s://https://host:port: "
        + "k8s://api-server)", r.errText());
  }
}
