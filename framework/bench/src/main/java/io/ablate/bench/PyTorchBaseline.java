package io.ablate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs scripts/bench_pytorch.py, which trains the same decoder in PyTorch eager mode on the CPU,
 * and reads its JSON result.
 */
public final class PyTorchBaseline {
  /** The script's exit code when torch cannot be imported. */
  private static final int TORCH_MISSING = 3;

  private final Path home;

  /** @param home the repository root (holds scripts/ and, optionally, a .venv with torch) */
  public PyTorchBaseline(Path home) {
    this.home = home;
  }

  /** The PyTorch result, or empty when torch is not importable (the reason goes to {@code why}). */
  public Optional<JsonNode> run(BenchConfig config, int steps, int threads, StringBuilder why)
      throws IOException, InterruptedException {
    return run(config, steps, threads, false, why);
  }

  /** As {@link #run(BenchConfig, int, int, StringBuilder)}; {@code evaluation} times the loss under {@code torch.no_grad()}. */
  public Optional<JsonNode> run(BenchConfig config, int steps, int threads, boolean evaluation, StringBuilder why)
      throws IOException, InterruptedException {
    Path script = home.resolve("scripts/bench_pytorch.py");
    if (!Files.isRegularFile(script)) {
      why.append("no ").append(script);
      return Optional.empty();
    }
    List<String> command = new java.util.ArrayList<>(List.of(python().toString(), script.toString(), "--config",
        config.name(), "--seq-len", Integer.toString(config.seqLen()), "--steps", Integer.toString(steps), "--threads",
        Integer.toString(threads), "--json"));
    if (evaluation) {
      command.add("--eval");
    }
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      why.append("cannot start ").append(python()).append(" to import torch: ").append(e.getMessage());
      return Optional.empty();
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = process.waitFor();
    if (code == TORCH_MISSING) {
      why.append("torch cannot be imported by ").append(python())
          .append(" (pip install -r scripts/requirements-reference.txt)");
      return Optional.empty();
    }
    if (code != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + code);
    }
    return Optional.of(new ObjectMapper().readTree(out));
  }

  /** The project's virtual environment if it exists, else python3 on the PATH. */
  private Path python() {
    Path venv = home.resolve(".venv/bin/python");
    return Files.isExecutable(venv) ? venv : Path.of("python3");
  }
}
